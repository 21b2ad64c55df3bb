import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env } from "../env.ts";

// AES-256-GCM under a key ring from the environment (TEMPLATE_KEYS = "id:base64key,..."). New data
// is sealed with TEMPLATE_KEY_ID; the key id is stored beside each sealed value so old rows stay
// readable after a rotation (invariant 9). Layout: iv (12 bytes) | tag (16 bytes) | ciphertext.

export type KeyRing = { current: string; keys: Map<string, Buffer> };

export function parseKeyRing(spec: string, current: string): KeyRing {
  const keys = new Map<string, Buffer>();
  for (const part of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = part.indexOf(":");
    if (i <= 0) throw new Error("TEMPLATE_KEYS: each entry must be id:base64key");
    const key = Buffer.from(part.slice(i + 1), "base64");
    if (key.length !== 32) throw new Error(`TEMPLATE_KEYS: key ${part.slice(0, i)} must be 32 bytes (base64)`);
    keys.set(part.slice(0, i), key);
  }
  if (!keys.has(current)) throw new Error(`TEMPLATE_KEY_ID ${current} is not in TEMPLATE_KEYS`);
  return { current, keys };
}

let ring: KeyRing | undefined;
function envRing(): KeyRing {
  ring ??= parseKeyRing(env().TEMPLATE_KEYS, env().TEMPLATE_KEY_ID);
  return ring;
}

/** Seals bytes; `aad` binds the ciphertext to its owner (e.g. the user id) so rows cannot be swapped. */
export function seal(
  plain: Uint8Array,
  aad: string,
  keys: KeyRing = envRing(),
): { keyId: string; sealed: Uint8Array<ArrayBuffer> } {
  const key = keys.keys.get(keys.current)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  // A plain Uint8Array over its own ArrayBuffer: what Prisma's Bytes columns take.
  return { keyId: keys.current, sealed: new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), body])) };
}

export function open(sealed: Uint8Array, keyId: string, aad: string, keys: KeyRing = envRing()): Buffer {
  const key = keys.keys.get(keyId);
  if (!key) throw new Error(`encryption key ${keyId} is not configured`);
  const buf = Buffer.from(sealed);
  const decipher = createDecipheriv("aes-256-gcm", key, buf.subarray(0, 12));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(buf.subarray(12, 28));
  return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]);
}
