import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Whether the request carries `Authorization: Bearer <expected>`, compared in constant time (both
 * sides hashed first, so neither the length nor a prefix of the token leaks through timing).
 * No expected token means nobody is let in.
 */
export function bearerMatches(headers: Headers, expected: string | undefined): boolean {
  if (!expected) return false;
  const given = /^Bearer (.+)$/.exec(headers.get("authorization") ?? "")?.[1] ?? "";
  const h = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(h(given), h(expected));
}
