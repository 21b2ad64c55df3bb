import { open, seal } from "../crypto/key-ring.ts";

// A face template is the L2-normalised embedding as little-endian float32, sealed with AES-256-GCM
// and bound to its owner (invariant 9).
const aad = (userId: string) => `template:${userId}`;

export function sealTemplate(
  userId: string,
  embedding: Float32Array,
): { ciphertext: Uint8Array<ArrayBuffer>; keyId: string } {
  const bytes = Buffer.from(embedding.buffer, embedding.byteOffset, embedding.byteLength);
  const { sealed, keyId } = seal(bytes, aad(userId));
  return { ciphertext: sealed, keyId };
}

export function openTemplate(userId: string, ciphertext: Uint8Array, keyId: string): Float32Array {
  const bytes = open(ciphertext, keyId, aad(userId));
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
