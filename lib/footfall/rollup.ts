import { db } from "../db.ts";

/**
 * footfall.rollup: minute buckets older than `keepMinutesHours` become hour buckets (frames and
 * faces summed, the largest crowd kept) and the minute rows are deleted, in one transaction with
 * one cut-off, so a re-run or a concurrent run never counts a minute twice.
 */
export async function rollupFootfall(now = new Date(), keepMinutesHours = 2): Promise<{ minutes: number }> {
  const cutoff = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 - keepMinutesHours * 3_600_000);
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7301)`;
    await tx.$executeRaw`
      INSERT INTO "FootfallBucket" ("cameraId", "storeId", "size", "bucketStart", "frames", "faces", "maxFaces")
      SELECT "cameraId", "storeId", 'HOUR', date_trunc('hour', "bucketStart"), SUM("frames"), SUM("faces"), MAX("maxFaces")
      FROM "FootfallBucket" WHERE "size" = 'MINUTE' AND "bucketStart" < ${cutoff}
      GROUP BY "cameraId", "storeId", date_trunc('hour', "bucketStart")
      ON CONFLICT ("cameraId", "size", "bucketStart") DO UPDATE SET
        "frames" = "FootfallBucket"."frames" + EXCLUDED."frames",
        "faces" = "FootfallBucket"."faces" + EXCLUDED."faces",
        "maxFaces" = GREATEST("FootfallBucket"."maxFaces", EXCLUDED."maxFaces")`;
    const minutes =
      await tx.$executeRaw`DELETE FROM "FootfallBucket" WHERE "size" = 'MINUTE' AND "bucketStart" < ${cutoff}`;
    return { minutes };
  });
}
