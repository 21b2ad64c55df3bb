import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import type { Actor } from "../auth/actor.ts";
import { latestStill } from "./latest-still.ts";

/** The JPEG of a camera's latest blurred still, for admins setting its counting line. */
export async function readCameraStill(opts: { cameraId: string; actor: Actor }): Promise<Buffer> {
  if (opts.actor.role !== "ADMIN") throw new AppError("forbidden", "only admins see camera stills");
  const cam = await db().camera.findUnique({ where: { id: opts.cameraId }, select: { id: true } });
  if (!cam) throw new AppError("not_found", "camera not found");
  const still = await latestStill(cam.id);
  if (!still) throw new AppError("not_found", "no still for this camera");
  return still.bytes;
}
