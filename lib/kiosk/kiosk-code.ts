import { createHmac, hkdfSync, randomInt } from "node:crypto";
import { env } from "../env.ts";
import { key } from "../redis.ts";

// The shopper's one-time kiosk code (issue 11 item 2; docs/decisions/0011-kiosk-enrolment.md).
// Six digits are few, so the code is never stored in clear nor as a plain hash (a million
// candidates are hashed in a second): the row keeps HMAC-SHA256 under a key derived from
// AUTH_SECRET, over the store id and the code, so a code exists only at its own store.
export const KIOSK_CODE_SECONDS = 120;
// Redemption attempts at one kiosk and at one store (every attempt counts, right or wrong). With
// at most a handful of live codes in a store, 10 guesses per kiosk per 10 minutes give an attacker
// standing at a kiosk about 10 x live codes / 1,000,000 per 10 minutes, and 30 per store caps
// what several kiosks together allow.
export const KIOSK_ATTEMPTS_PER_DEVICE = 10;
export const KIOSK_ATTEMPTS_PER_STORE = 30;
export const KIOSK_ATTEMPT_WINDOW_SECONDS = 600;
// Codes a shopper may ask for per hour (each ends the one before).
export const KIOSK_CODES_PER_USER_PER_HOUR = 10;

// The burst: at least MIN frames (issue: >= 3 over ~2 s), at most MAX, each a JPEG of at most
// FRAME_MAX_BYTES. The frames wait in Redis only, for BURST_TTL_SECONDS at most.
export const BURST_MIN_FRAMES = 3;
export const BURST_MAX_FRAMES = 6;
export const BURST_FRAME_MAX_BYTES = 1024 * 1024;
export const BURST_TTL_SECONDS = 60;

let cached: { source: string; key: Buffer } | null = null;
function codeKey(): Buffer {
  const source = env().AUTH_SECRET;
  if (cached?.source !== source)
    cached = { source, key: Buffer.from(hkdfSync("sha256", source, "veil", "veil.kiosk-code.v1", 32)) };
  return cached.key;
}

export function newKioskCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

export function isKioskCode(v: unknown): v is string {
  return typeof v === "string" && /^\d{6}$/.test(v);
}

export function hashKioskCode(storeId: string, code: string): string {
  return createHmac("sha256", codeKey()).update(`veil.kiosk-code\n${storeId}\n${code}`).digest("hex");
}

/** The Redis list holding one enrolment's burst (JPEG frames) until its job has run. */
export const burstKey = (enrolmentId: string) => key("kiosk-burst", enrolmentId);
