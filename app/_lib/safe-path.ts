/** Only same-site relative paths may be redirect targets (no open redirects via callbackUrl). */
export function safePath(v: unknown, fallback = "/"): string {
  if (typeof v !== "string" || !v.startsWith("/") || v.startsWith("//") || v.includes("\\")) return fallback;
  return v;
}
