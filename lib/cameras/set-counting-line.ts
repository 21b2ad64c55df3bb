import { Prisma } from "../generated/prisma/client.ts";
import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import type { Actor } from "../auth/actor.ts";
import { countingLineSchema, type CountingLine } from "../tracking/counting-line.ts";

/**
 * Sets (or, with `line: null`, clears) a camera's counting line, admins only. The line is checked
 * against countingLineSchema here, whatever the caller parsed, and the change and its audit
 * record are written in one transaction.
 */
export async function setCountingLine(opts: {
  cameraId: string;
  line: unknown;
  actor: Actor;
}): Promise<{ cameraId: string; countingLine: CountingLine | null }> {
  if (opts.actor.role !== "ADMIN" && opts.actor.role !== "SYSTEM")
    throw new AppError("forbidden", "only admins change cameras");
  let line: CountingLine | null = null;
  if (opts.line !== null) {
    const parsed = countingLineSchema.safeParse(opts.line);
    if (!parsed.success) throw new AppError("invalid_input", "counting line out of range");
    line = parsed.data;
  }
  return db().$transaction(async (tx) => {
    const cam = await tx.camera.findUnique({ where: { id: opts.cameraId } });
    if (!cam) throw new AppError("not_found", "camera not found");
    await tx.camera.update({ where: { id: cam.id }, data: { countingLine: line ?? Prisma.DbNull } });
    await appendAudit(tx, {
      actorId: opts.actor.id,
      actorRole: opts.actor.role,
      action: line ? "camera.counting_line.set" : "camera.counting_line.clear",
      targetType: "Camera",
      targetId: cam.id,
      storeId: cam.storeId,
      details: line ? { countingLine: line } : {},
    });
    return { cameraId: cam.id, countingLine: line };
  });
}
