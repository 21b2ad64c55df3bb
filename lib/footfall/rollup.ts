import { db } from "../db.ts";

/**
 * footfall.rollup: minute buckets older than `keepMinutesHours` become hour buckets (counters
 * summed — frames, faces, entries, exits, line crossings, dwell bins, not analysed, motion-skipped —
 * and the largest crowd and occupancy kept) and the minute rows are deleted, in one transaction with
 * one cut-off, so a re-run or a concurrent run never counts a minute twice.
 */
export async function rollupFootfall(now = new Date(), keepMinutesHours = 2): Promise<{ minutes: number }> {
  const cutoff = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 - keepMinutesHours * 3_600_000);
  return db().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(7301)`;
    await tx.$executeRaw`
      INSERT INTO "FootfallBucket" ("cameraId", "storeId", "size", "bucketStart", "frames", "faces", "entries", "exits", "lineIn", "lineOut", "dwellUnder1m", "dwell1to5m", "dwell5to15m", "dwell15to30m", "dwellOver30m", "notAnalysed", "motionSkipped", "maxFaces", "maxOccupancy")
      SELECT "cameraId", "storeId", 'HOUR', date_trunc('hour', "bucketStart"), SUM("frames"), SUM("faces"), SUM("entries"), SUM("exits"), SUM("lineIn"), SUM("lineOut"), SUM("dwellUnder1m"), SUM("dwell1to5m"), SUM("dwell5to15m"), SUM("dwell15to30m"), SUM("dwellOver30m"), SUM("notAnalysed"), SUM("motionSkipped"), MAX("maxFaces"), MAX("maxOccupancy")
      FROM "FootfallBucket" WHERE "size" = 'MINUTE' AND "bucketStart" < ${cutoff}
      GROUP BY "cameraId", "storeId", date_trunc('hour', "bucketStart")
      ON CONFLICT ("cameraId", "size", "bucketStart") DO UPDATE SET
        "frames" = "FootfallBucket"."frames" + EXCLUDED."frames",
        "faces" = "FootfallBucket"."faces" + EXCLUDED."faces",
        "entries" = "FootfallBucket"."entries" + EXCLUDED."entries",
        "exits" = "FootfallBucket"."exits" + EXCLUDED."exits",
        "lineIn" = "FootfallBucket"."lineIn" + EXCLUDED."lineIn",
        "lineOut" = "FootfallBucket"."lineOut" + EXCLUDED."lineOut",
        "dwellUnder1m" = "FootfallBucket"."dwellUnder1m" + EXCLUDED."dwellUnder1m",
        "dwell1to5m" = "FootfallBucket"."dwell1to5m" + EXCLUDED."dwell1to5m",
        "dwell5to15m" = "FootfallBucket"."dwell5to15m" + EXCLUDED."dwell5to15m",
        "dwell15to30m" = "FootfallBucket"."dwell15to30m" + EXCLUDED."dwell15to30m",
        "dwellOver30m" = "FootfallBucket"."dwellOver30m" + EXCLUDED."dwellOver30m",
        "notAnalysed" = "FootfallBucket"."notAnalysed" + EXCLUDED."notAnalysed",
        "motionSkipped" = "FootfallBucket"."motionSkipped" + EXCLUDED."motionSkipped",
        "maxFaces" = GREATEST("FootfallBucket"."maxFaces", EXCLUDED."maxFaces"),
        "maxOccupancy" = GREATEST("FootfallBucket"."maxOccupancy", EXCLUDED."maxOccupancy")`;
    const minutes =
      await tx.$executeRaw`DELETE FROM "FootfallBucket" WHERE "size" = 'MINUTE' AND "bucketStart" < ${cutoff}`;
    // Frame ids claimed by countFrame: a retry comes within the frame's TTL (seconds), never an hour on.
    await tx.$executeRaw`DELETE FROM "CountedFrame" WHERE "countedAt" < ${new Date(now.getTime() - 3_600_000)}`;
    return { minutes };
  });
}
