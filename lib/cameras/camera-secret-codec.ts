import { randomBytes } from "node:crypto";
import { open, seal } from "../crypto/key-ring.ts";

// A camera's signing secret: generated here, stored only sealed with the key ring, and bound to its
// camera (the additional data), so a sealed secret copied onto another camera row does not open.
const cameraAad = (cameraId: string) => `camera:${cameraId}`;

export function newCameraSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function sealCameraSecret(cameraId: string, secret: string): { sealed: Uint8Array<ArrayBuffer>; keyId: string } {
  return seal(Buffer.from(secret), cameraAad(cameraId));
}

export function openCameraSecret(camera: { id: string; secretCiphertext: Uint8Array; secretKeyId: string }): string {
  return open(camera.secretCiphertext, camera.secretKeyId, cameraAad(camera.id)).toString();
}
