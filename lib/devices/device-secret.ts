import { createHash, randomBytes } from "node:crypto";

// Pairing codes and device credentials are random 32-byte values; the database keeps only their
// SHA-256 (a leaked table pairs no device and opens no display).
export const PAIRING_MINUTES = 15;
export const DISPLAY_COOKIE = "veil_display";

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
