import sharp from "sharp";
import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import type { Actor } from "../auth/actor.ts";
import { countingLineSchema, type CountingLine } from "../tracking/counting-line.ts";
import { latestStill } from "./latest-still.ts";

/** What the counting-line page shows an admin: the camera, its line, and the still's size and time if there is one. */
export async function getCountingLineView(opts: { cameraId: string; actor: Actor }) {
  if (opts.actor.role !== "ADMIN") throw new AppError("forbidden", "only admins change cameras");
  const cam = await db().camera.findUnique({
    where: { id: opts.cameraId },
    include: { store: { select: { name: true, timezone: true } } },
  });
  if (!cam) throw new AppError("not_found", "camera not found");
  const parsed = countingLineSchema.safeParse(cam.countingLine);
  const line: CountingLine | null = parsed.success ? parsed.data : null;
  const still = await latestStill(cam.id);
  const meta = still ? await sharp(still.bytes).metadata() : null;
  return {
    camera: { id: cam.id, name: cam.name, storeName: cam.store.name, timezone: cam.store.timezone },
    line,
    still:
      still && meta?.width && meta.height
        ? { id: still.id, capturedAt: still.capturedAt, width: meta.width, height: meta.height }
        : null,
  };
}
