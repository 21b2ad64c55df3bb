import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { env } from "../env.ts";
import { AppError } from "../errors/app-error.ts";

// The entrance display's rotating QR code carries a presence token: an HMAC over (store id, 30 s
// window). A check-in needs a token of the current or the previous window for that store, so
// whoever checks in saw the display within the last minute (invariant 10). See
// docs/decisions/0007-presence-token.md.
export const PRESENCE_WINDOW_SECONDS = 30;
const VERSION = "p1";

let cachedKey: { source: string; key: Buffer } | null = null;

/** PRESENCE_TOKEN_KEY, or a key derived from AUTH_SECRET (HKDF) when it is unset. */
function presenceKey(): Buffer {
  const e = env();
  const source = e.PRESENCE_TOKEN_KEY ?? e.AUTH_SECRET;
  if (cachedKey?.source !== source) {
    const key = e.PRESENCE_TOKEN_KEY
      ? Buffer.from(e.PRESENCE_TOKEN_KEY, "utf8")
      : Buffer.from(hkdfSync("sha256", e.AUTH_SECRET, "veil", "veil.presence-token.v1", 32));
    cachedKey = { source, key };
  }
  return cachedKey.key;
}

/** The index of the 30 s window an instant falls in. */
export function presenceWindow(now: Date = new Date()): number {
  return Math.floor(now.getTime() / 1000 / PRESENCE_WINDOW_SECONDS);
}

/** When the window after the one `now` falls in begins. */
export function nextWindowStart(now: Date = new Date()): Date {
  return new Date((presenceWindow(now) + 1) * PRESENCE_WINDOW_SECONDS * 1000);
}

function mac(storeId: string, window: number): Buffer {
  return createHmac("sha256", presenceKey()).update(`veil.presence\n${VERSION}\n${storeId}\n${window}`).digest();
}

/** The token of a store for one window: `p1.<storeId>.<window>.<base64url mac>`. */
export function signPresenceToken(storeId: string, window: number): string {
  return `${VERSION}.${storeId}.${window}.${mac(storeId, window).toString("base64url")}`;
}

export function currentPresenceToken(storeId: string, now: Date = new Date()): string {
  return signPresenceToken(storeId, presenceWindow(now));
}

const TOKEN = /^p1\.([A-Za-z0-9_-]{1,64})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/**
 * Checks a token for a store at an instant; throws presence_token_invalid (garbled or forged, or a
 * window that has not begun), presence_token_wrong_store (genuine, for another store) or
 * presence_token_expired (genuine, older than the previous window). The signature is checked
 * before anything the token claims is believed.
 */
export function verifyPresenceToken(
  token: string | undefined,
  storeId: string,
  now: Date = new Date(),
): { window: number } {
  const parts = TOKEN.exec(token ?? "");
  if (!parts) throw new AppError("presence_token_invalid", "presence token garbled");
  const [, tokenStore, windowText, macText] = parts as unknown as [string, string, string, string];
  const window = Number(windowText);
  const given = Buffer.from(macText, "base64url");
  const expected = mac(tokenStore, window);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError("presence_token_invalid", "presence token signature mismatch");
  }
  if (tokenStore !== storeId) throw new AppError("presence_token_wrong_store", "presence token of another store");
  const current = presenceWindow(now);
  if (window > current) throw new AppError("presence_token_invalid", "presence token of a window not begun");
  if (window < current - 1)
    throw new AppError("presence_token_expired", "presence token expired", { age: current - window });
  return { window };
}
