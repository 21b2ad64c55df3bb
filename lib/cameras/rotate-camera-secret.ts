import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import type { Actor } from "../auth/actor.ts";
import { newCameraSecret, sealCameraSecret } from "./camera-secret-codec.ts";

/** Replaces a camera's secret (the old one stops working at once); returns the new one, once. */
export async function rotateCameraSecret(opts: { cameraId: string; actor: Actor }) {
  if (opts.actor.role !== "ADMIN" && opts.actor.role !== "SYSTEM")
    throw new AppError("forbidden", "only admins rotate camera secrets");
  const secret = newCameraSecret();
  await db().$transaction(async (tx) => {
    const cam = await tx.camera.findUnique({ where: { id: opts.cameraId } });
    if (!cam) throw new AppError("not_found", "camera not found");
    const { sealed, keyId } = sealCameraSecret(cam.id, secret);
    await tx.camera.update({
      where: { id: cam.id },
      data: { secretCiphertext: sealed, secretKeyId: keyId, rotatedAt: new Date() },
    });
    await appendAudit(tx, {
      actorId: opts.actor.id,
      actorRole: opts.actor.role,
      action: "camera.rotate_secret",
      targetType: "Camera",
      targetId: cam.id,
      storeId: cam.storeId,
      details: {},
    });
  });
  return { cameraId: opts.cameraId, secret };
}
