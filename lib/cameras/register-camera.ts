import { randomBytes } from "node:crypto";
import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import type { Actor } from "../auth/actor.ts";
import { newCameraSecret, sealCameraSecret } from "./camera-secret-codec.ts";

/**
 * Registers a camera for a store. The secret is returned once, to show to the admin, and stored
 * only encrypted. Admin only.
 */
export async function registerCamera(opts: { storeSlug: string; name: string; actor: Actor }) {
  if (opts.actor.role !== "ADMIN" && opts.actor.role !== "SYSTEM")
    throw new AppError("forbidden", "only admins register cameras");
  const name = opts.name.trim();
  if (!name || name.length > 80) throw new AppError("invalid_input", "camera name must be 1-80 characters");
  const secret = newCameraSecret();
  const camera = await db().$transaction(async (tx) => {
    const store = await tx.store.findUnique({ where: { slug: opts.storeSlug }, select: { id: true } });
    if (!store) throw new AppError("unknown_store", `store ${opts.storeSlug} not found`);
    const id = `cam_${randomBytes(8).toString("hex")}`;
    const { sealed, keyId } = sealCameraSecret(id, secret);
    const cam = await tx.camera.create({
      data: { id, storeId: store.id, name, secretCiphertext: sealed, secretKeyId: keyId },
    });
    await appendAudit(tx, {
      actorId: opts.actor.id,
      actorRole: opts.actor.role,
      action: "camera.register",
      targetType: "Camera",
      targetId: id,
      storeId: store.id,
      details: {},
    });
    return cam;
  });
  return { cameraId: camera.id, storeId: camera.storeId, secret };
}
