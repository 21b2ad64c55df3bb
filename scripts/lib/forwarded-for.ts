import type { IncomingHttpHeaders } from "node:http";

/**
 * X-Forwarded-For with the socket's peer address appended, as every proxy in front of the app
 * appends the address it saw. Node joins repeated X-Forwarded-For lines with ", " already, so the
 * result is one list whose rightmost entry is always the real peer, whatever the client sent
 * (Next.js itself only writes the header when it is absent). A peer we cannot name (socket already
 * gone) is "unknown", never skipped: skipping would let the client's last entry stand in for it.
 */
export function withPeer(headers: IncomingHttpHeaders, peer: string | undefined): string {
  const sent = headers["x-forwarded-for"];
  const before = (Array.isArray(sent) ? sent.join(", ") : (sent ?? "")).trim();
  const self = peer || "unknown";
  return before ? `${before}, ${self}` : self;
}
