import { db } from "../db.ts";

/**
 * Anonymous footfall: one frame with n faces adds to its camera's minute bucket. Only numbers are
 * kept, never boxes or pixels (DESIGN.md, purpose footfall). Upsert, so concurrent workers add up.
 */
export async function countFrame(opts: {
  cameraId: string;
  storeId: string;
  capturedAt: Date;
  faces: number;
}): Promise<void> {
  const minute = new Date(Math.floor(opts.capturedAt.getTime() / 60_000) * 60_000);
  await db().$executeRaw`
    INSERT INTO "FootfallBucket" ("cameraId", "storeId", "size", "bucketStart", "frames", "faces", "maxFaces")
    VALUES (${opts.cameraId}, ${opts.storeId}, 'MINUTE', ${minute}, 1, ${opts.faces}, ${opts.faces})
    ON CONFLICT ("cameraId", "size", "bucketStart") DO UPDATE SET
      "frames" = "FootfallBucket"."frames" + 1,
      "faces" = "FootfallBucket"."faces" + EXCLUDED."faces",
      "maxFaces" = GREATEST("FootfallBucket"."maxFaces", EXCLUDED."maxFaces")`;
}
