import { createHash, randomBytes } from "node:crypto";
import type { ErrorCode } from "../errors/app-error.ts";

// Pairing codes and device credentials are random 32-byte values; the database keeps only their
// SHA-256 (a leaked table pairs no device and opens no display or kiosk).
export const PAIRING_MINUTES = 15;
export const DISPLAY_COOKIE = "veil_display";
export const KIOSK_COOKIE = "veil_kiosk";

export type DeviceKind = "DISPLAY" | "KIOSK";

// What differs between the kinds of paired store tablet; the pairing, authentication and
// revocation code is one (create-device-pairing.ts, pair-device.ts, authenticate-device.ts).
export const DEVICE_KINDS: Record<
  DeviceKind,
  { cookie: string; page: (storeSlug: string) => string; notPaired: ErrorCode; audit: string }
> = {
  DISPLAY: {
    cookie: DISPLAY_COOKIE,
    page: (s) => `/s/${s}/display`,
    notPaired: "display_not_paired",
    audit: "display",
  },
  KIOSK: { cookie: KIOSK_COOKIE, page: (s) => `/s/${s}/kiosk`, notPaired: "kiosk_not_paired", audit: "kiosk" },
};

export function isDeviceKind(v: unknown): v is DeviceKind {
  return v === "DISPLAY" || v === "KIOSK";
}

export function newDeviceSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function hashDeviceSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Shape check before any lookup: 43 base64url characters. */
export function isDeviceSecret(value: unknown): value is string {
  return typeof value === "string" && /^[A-Za-z0-9_-]{43}$/.test(value);
}
