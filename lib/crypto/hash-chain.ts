import { createHash } from "node:crypto";

// Hash chains for the consent ledger and the audit log: each record's hash covers the previous
// record's hash and a canonical serialisation of its own fields, so editing, removing or
// reordering any record breaks every later link.
export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted at every level and dates as ISO strings: stable across runs. */
export function canonicalJson(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

export function chainHash(prevHash: string, fields: Record<string, unknown>): string {
  return createHash("sha256").update(prevHash).update("\n").update(canonicalJson(fields)).digest("hex");
}

export type ChainLink<T> = { prevHash: string; hash: string; fields: T; id: string };

export type ChainVerdict =
  { ok: true; checked: number } | { ok: false; checked: number; brokenAt: string; reason: string };

/** Walks links in order; names the first link whose hash or back-pointer does not hold. */
export function verifyChain<T extends Record<string, unknown>>(
  links: Iterable<ChainLink<T>>,
  start = GENESIS_HASH,
): ChainVerdict {
  let prev = start;
  let checked = 0;
  for (const link of links) {
    if (link.prevHash !== prev) {
      return { ok: false, checked, brokenAt: link.id, reason: "previous hash does not match the record before it" };
    }
    if (chainHash(link.prevHash, link.fields) !== link.hash) {
      return { ok: false, checked, brokenAt: link.id, reason: "record content does not match its hash" };
    }
    prev = link.hash;
    checked++;
  }
  return { ok: true, checked };
}
