/**
 * Set by scripts/app-server.ts in its own process before Next.js starts: every request this process
 * answers had the socket's peer address appended to X-Forwarded-For, so the rightmost entry is the
 * real peer (lib/http/client-ip.ts). A global, not a header: a client can send any header, but
 * cannot reach into the server's process. A bare `next start` leaves it unset, and
 * instrumentation.ts refuses to serve production that way.
 */
const MARK = Symbol.for("veil.peer-appended-to-x-forwarded-for");

export function markPeerAppended(): void {
  (globalThis as Record<symbol, unknown>)[MARK] = true;
}

export function peerAppended(): boolean {
  return (globalThis as Record<symbol, unknown>)[MARK] === true;
}
