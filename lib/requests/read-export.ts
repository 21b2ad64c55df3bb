import { readFile } from "node:fs/promises";
import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";

/** The export file of a request, only for the shopper it belongs to and only until it expires. */
export async function readExport(userId: string, requestId: string, now = new Date()): Promise<Buffer> {
  const r = await db().dataRequest.findUnique({ where: { id: requestId } });
  if (
    !r ||
    r.userId !== userId ||
    r.kind !== "ACCESS" ||
    !r.exportPath ||
    !r.exportExpiresAt ||
    r.exportExpiresAt <= now
  ) {
    throw new AppError("not_found", "export not found");
  }
  return readFile(r.exportPath).catch(() => {
    throw new AppError("not_found", "export not found");
  });
}
