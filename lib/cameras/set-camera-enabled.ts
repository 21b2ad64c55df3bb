import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import type { Actor } from "../auth/actor.ts";

/** Disables (or re-enables) a camera: a disabled camera's frames are refused at ingest. */
export async function setCameraEnabled(opts: { cameraId: string; enabled: boolean; actor: Actor }) {
  if (opts.actor.role !== "ADMIN" && opts.actor.role !== "SYSTEM")
    throw new AppError("forbidden", "only admins change cameras");
  return db().$transaction(async (tx) => {
    const cam = await tx.camera.findUnique({ where: { id: opts.cameraId } });
    if (!cam) throw new AppError("not_found", "camera not found");
    const updated = await tx.camera.update({ where: { id: cam.id }, data: { enabled: opts.enabled } });
    await appendAudit(tx, {
      actorId: opts.actor.id,
      actorRole: opts.actor.role,
      action: opts.enabled ? "camera.enable" : "camera.disable",
      targetType: "Camera",
      targetId: cam.id,
      storeId: cam.storeId,
      details: {},
    });
    return updated;
  });
}
