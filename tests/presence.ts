// Test helper: check a shopper in the way the entrance display makes possible, with a presence
// token of the current window minted by the real signing function.
import { db } from "../lib/db.ts";
import { checkIn } from "../lib/presence/check-in.ts";
import { currentPresenceToken } from "../lib/presence/presence-token.ts";

export async function presenceTokenFor(storeSlug: string, now = new Date()): Promise<string> {
  const store = await db().store.findUniqueOrThrow({ where: { slug: storeSlug }, select: { id: true } });
  return currentPresenceToken(store.id, now);
}

/** The URL the display's QR code shows right now (path only). */
export async function presenceUrl(storeSlug: string): Promise<string> {
  return `/s/${storeSlug}/here?t=${encodeURIComponent(await presenceTokenFor(storeSlug))}`;
}

export async function checkInWithToken(opts: { userId: string; storeSlug: string; now?: Date }) {
  return checkIn({ ...opts, token: await presenceTokenFor(opts.storeSlug, opts.now) });
}
