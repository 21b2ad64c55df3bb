import { createHash, createHmac, timingSafeEqual } from "node:crypto";

// Camera request signing: HMAC-SHA256 over method, path, timestamp and the body's sha256, so a
// signature cannot be moved to another body, endpoint or time. Shared by the ingest route and the
// camera simulator.
export const SIGNATURE_HEADERS = {
  camera: "x-veil-camera",
  timestamp: "x-veil-timestamp",
  signature: "x-veil-signature",
} as const;

// The formats of the three headers, shared by ingest's checks and the OpenAPI document.
export const HEADER_PATTERNS = {
  camera: /^[A-Za-z0-9_-]{1,64}$/,
  // whole seconds since the epoch, or milliseconds (13 digits): a camera sending several frames a
  // second gives each its own capture time, which tracking people across frames needs
  timestamp: /^(\d{1,11}|\d{13})$/,
  signature: /^v1=[0-9a-f]{64}$/,
} as const;

export function bodyDigest(body: Uint8Array): string {
  return createHash("sha256").update(body).digest("hex");
}

export function signingString(method: string, path: string, timestamp: string, bodySha256: string): string {
  return `${method.toUpperCase()}\n${path}\n${timestamp}\n${bodySha256}`;
}

export function signFrame(secret: string, method: string, path: string, timestamp: string, body: Uint8Array): string {
  return `v1=${createHmac("sha256", secret)
    .update(signingString(method, path, timestamp, bodyDigest(body)))
    .digest("hex")}`;
}

export function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The capture time a valid timestamp header names, in milliseconds since the epoch. */
export function timestampMs(timestamp: string): number {
  return timestamp.length === 13 ? Number(timestamp) : Number(timestamp) * 1000;
}

/** Timestamp (seconds or milliseconds since the epoch) within the allowed skew of `now`. */
export function timestampFresh(timestamp: string, nowMs: number, maxSkewSeconds: number): boolean {
  if (!HEADER_PATTERNS.timestamp.test(timestamp)) return false;
  return Math.abs(nowMs - timestampMs(timestamp)) <= maxSkewSeconds * 1000;
}
