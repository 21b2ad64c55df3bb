import { db } from "../db.ts";
import { dwellBin, type DwellBin } from "../tracking/dwell.ts";
import type { TrackEvent } from "../tracking/tracker.ts";

export type FrameCounts = {
  /** the frame counted (absent for the tracks of a camera gone quiet: no frame) */
  frameId?: string;
  cameraId: string;
  storeId: string;
  capturedAt: Date;
  /** face detections in the frame ("faces seen", the secondary series); 0 for a skipped frame */
  faces?: number;
  /** what the tracker said when it applied the frame: entries, exits (with dwell), line crossings */
  events?: TrackEvent[];
  /** confirmed tracks in view after the frame */
  occupancy?: number;
  /** the frame was analysed (detected, or skipped by the motion gate) — the default; camera-quiet:
   *  no frame, the tracks of a camera gone quiet were ended (workers/frames/close-quiet-tracks.ts) */
  outcome?: "analysed" | "motion-skipped" | "not-analysed" | "camera-quiet";
};

/**
 * Anonymous footfall: one frame adds to its camera's minute bucket. People come from the tracker's
 * events (an entry when a track is confirmed, an exit binned by its dwell, counting-line crossings)
 * and occupancy is the most confirmed tracks in view at once; frames, faces and maxFaces remain the
 * "faces seen" series. Only numbers are kept, never boxes or pixels (DESIGN.md, purpose footfall).
 * An accepted frame that expired before analysis is counted as not analysed, never dropped.
 * Upsert, so concurrent workers add up. A frame is counted once: its id is claimed in the same
 * statement (CountedFrame), so a job retried after a crash right after its count adds nothing.
 */
export async function countFrame(opts: FrameCounts): Promise<void> {
  const minute = new Date(Math.floor(opts.capturedAt.getTime() / 60_000) * 60_000);
  const outcome = opts.outcome ?? "analysed";
  const events = opts.events ?? [];
  const bins: Record<DwellBin, number> = {
    dwellUnder1m: 0,
    dwell1to5m: 0,
    dwell5to15m: 0,
    dwell15to30m: 0,
    dwellOver30m: 0,
  };
  let entries = 0;
  let exits = 0;
  let lineIn = 0;
  let lineOut = 0;
  for (const e of events) {
    if (e.type === "entry") entries++;
    else if (e.type === "exit") {
      exits++;
      bins[dwellBin(e.dwellMs)]++;
    } else if (e.direction === "in") lineIn++;
    else lineOut++;
  }
  const frames = outcome === "analysed" || outcome === "motion-skipped" ? 1 : 0;
  const faces = opts.faces ?? 0;
  const occupancy = opts.occupancy ?? 0;
  const notAnalysed = outcome === "not-analysed" ? 1 : 0;
  const motionSkipped = outcome === "motion-skipped" ? 1 : 0;
  // One statement, so one round trip on the hot path: the claim CTE inserts the frame id, and the
  // bucket insert runs only if that claim did (or for no frame at all). A concurrent count of the
  // same frame waits on the first's claim row and then finds it taken, so adds nothing.
  // INSERT … SELECT does not type its parameters from the columns as VALUES does: hence the casts.
  const frameId = opts.frameId ?? null;
  await db().$executeRaw`
    WITH claim AS (
      INSERT INTO "CountedFrame" ("frameId")
      SELECT ${frameId}::text WHERE ${frameId}::text IS NOT NULL
      ON CONFLICT DO NOTHING
      RETURNING 1
    )
    INSERT INTO "FootfallBucket" ("cameraId", "storeId", "size", "bucketStart", "frames", "faces", "maxFaces",
      "entries", "exits", "lineIn", "lineOut", "maxOccupancy",
      "dwellUnder1m", "dwell1to5m", "dwell5to15m", "dwell15to30m", "dwellOver30m", "notAnalysed", "motionSkipped")
    SELECT ${opts.cameraId}::text, ${opts.storeId}::text, 'MINUTE'::"BucketSize", ${minute}::timestamp,
      ${frames}::int, ${faces}::int, ${faces}::int,
      ${entries}::int, ${exits}::int, ${lineIn}::int, ${lineOut}::int, ${occupancy}::int,
      ${bins.dwellUnder1m}::int, ${bins.dwell1to5m}::int, ${bins.dwell5to15m}::int, ${bins.dwell15to30m}::int,
      ${bins.dwellOver30m}::int, ${notAnalysed}::int, ${motionSkipped}::int
    WHERE ${frameId}::text IS NULL OR EXISTS (SELECT 1 FROM claim)
    ON CONFLICT ("cameraId", "size", "bucketStart") DO UPDATE SET
      "frames" = "FootfallBucket"."frames" + EXCLUDED."frames",
      "faces" = "FootfallBucket"."faces" + EXCLUDED."faces",
      "maxFaces" = GREATEST("FootfallBucket"."maxFaces", EXCLUDED."maxFaces"),
      "entries" = "FootfallBucket"."entries" + EXCLUDED."entries",
      "exits" = "FootfallBucket"."exits" + EXCLUDED."exits",
      "lineIn" = "FootfallBucket"."lineIn" + EXCLUDED."lineIn",
      "lineOut" = "FootfallBucket"."lineOut" + EXCLUDED."lineOut",
      "maxOccupancy" = GREATEST("FootfallBucket"."maxOccupancy", EXCLUDED."maxOccupancy"),
      "dwellUnder1m" = "FootfallBucket"."dwellUnder1m" + EXCLUDED."dwellUnder1m",
      "dwell1to5m" = "FootfallBucket"."dwell1to5m" + EXCLUDED."dwell1to5m",
      "dwell5to15m" = "FootfallBucket"."dwell5to15m" + EXCLUDED."dwell5to15m",
      "dwell15to30m" = "FootfallBucket"."dwell15to30m" + EXCLUDED."dwell15to30m",
      "dwellOver30m" = "FootfallBucket"."dwellOver30m" + EXCLUDED."dwellOver30m",
      "notAnalysed" = "FootfallBucket"."notAnalysed" + EXCLUDED."notAnalysed",
      "motionSkipped" = "FootfallBucket"."motionSkipped" + EXCLUDED."motionSkipped"`;
}
