import { env } from "../env.ts";

/**
 * The client's address for per-IP limits. Only the entries of X-Forwarded-For that trusted proxies
 * appended (TRUSTED_PROXY_HOPS from the right) are believed: a client can prepend anything, so the
 * first entry is never used unless it is the only one the proxies vouch for.
 */
export function clientIp(headers: Headers): string {
  const hops = env().TRUSTED_PROXY_HOPS;
  const list = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (!list.length) return "unknown";
  // With no proxy, Next.js itself writes the socket address when the client sent no header.
  const at = hops === 0 ? list.length - 1 : Math.max(0, list.length - hops);
  return list[at]!;
}
