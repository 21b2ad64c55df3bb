import { readFile } from "node:fs/promises";
import path from "node:path";
import { db } from "../db.ts";
import { env } from "../env.ts";

/**
 * The newest blurred frame the store kept of this camera (invariant 7: every face already blurred
 * by the worker), if it is still within retention and its file is there. Only files under the
 * frames folder are read.
 */
export async function latestStill(cameraId: string, now = new Date()) {
  const frame = await db().storedFrame.findFirst({
    where: { cameraId, expiresAt: { gt: now } },
    orderBy: { capturedAt: "desc" },
  });
  if (!frame) return null;
  const root = path.resolve(env().DATA_DIR, "frames");
  const file = path.resolve(frame.path);
  if (!file.startsWith(root + path.sep)) return null;
  try {
    return { id: frame.id, capturedAt: frame.capturedAt, bytes: await readFile(file) };
  } catch {
    return null;
  }
}
