/**
 * A page number from the query string: anything but one whole number ≥ 1 (junk, repeated, huge,
 * negative) is page 1, never an error.
 */
export function pageParam(v: string | string[] | undefined): number {
  const asked = Number(typeof v === "string" ? v : 1);
  return Number.isSafeInteger(asked) && asked > 1 ? asked : 1;
}
