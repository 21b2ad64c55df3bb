import { env } from "../env.ts";

/**
 * The client's address for per-address limits. scripts/app-server.ts appends the socket's peer to
 * X-Forwarded-For before Next.js sees the request, so the rightmost entry is always the real peer,
 * and each of the TRUSTED_PROXY_HOPS proxies in front appended the address it saw just left of
 * the one after it. The client is therefore the entry TRUSTED_PROXY_HOPS places left of the
 * rightmost: with 0 hops the peer itself. Everything further left is the client's own claim and
 * is never believed. A shorter list than the hops promise means the request did not come through
 * those proxies: then only the peer is believed.
 */
export function clientIp(headers: Headers): string {
  return clientIpBehind(headers, env().TRUSTED_PROXY_HOPS);
}

export function clientIpBehind(headers: Headers, hops: number): string {
  const list = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!list.length) return "unknown";
  const at = list.length - 1 - hops;
  return plainAddress(list[at >= 0 ? at : list.length - 1]!);
}

// An IPv4 client on a dual-stack socket is "::ffff:192.0.2.7"; a proxy writes "192.0.2.7".
function plainAddress(a: string): string {
  return a.replace(/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i, "$1").toLowerCase();
}
