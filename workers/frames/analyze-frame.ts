import type { RedisClient } from "../../lib/redis.ts";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { db } from "../../lib/db.ts";
import { env } from "../../lib/env.ts";
import { frameKey } from "../../lib/frames/frame-store.ts";
import { countFrame } from "../../lib/footfall/count-frame.ts";
import { recordDrained } from "../../lib/ingest/drain-rate.ts";
import { countingLineSchema, type CountingLine } from "../../lib/tracking/counting-line.ts";
import { MISSING } from "../../lib/tracking/track-keys.ts";
import type { TrackEvent } from "../../lib/tracking/tracker.ts";
import type { Box } from "../../lib/tracking/box.ts";
import type { JobPayload } from "../../lib/jobs/contract.ts";
import type { GalleryCache } from "./gallery-cache.ts";
import type { DetectedFace, VisionPort } from "./vision-port.ts";
import { glance, rememberDetected, unchanged, type Glance } from "./motion-gate.ts";
import { publishResult, sequenceFrame, applyReady } from "./track-sequencer.ts";
import { recogniseTrackFace } from "./track-recognition.ts";

export type FrameOutcome = {
  status: "analyzed" | "motion-skipped" | "expired" | "corrupt" | "camera-gone" | "camera-disabled";
  faces: number;
  matched: number;
};

/** What the tracker made of one frame (for the counting benchmark and tests; never stored). */
export type TrackedFrame = {
  seq: number;
  /** the frame was applied in order, or skipped as late (no track ids) */
  sequenced: "applied" | "late";
  detections: DetectedFace[] | null;
  trackIds: (number | null)[];
  events: TrackEvent[];
  occupancy: number;
};

export type FrameDeps = {
  redis: RedisClient;
  vision: VisionPort;
  galleries: GalleryCache;
  /** called once the frame's tracks are known */
  onTracked?: (t: TrackedFrame) => void;
};

type CameraInfo = {
  storeId: string;
  enabled: boolean;
  countingLine: unknown;
  store: { recognitionEnabled: boolean; keepFrames: boolean; frameRetentionDays: number };
};

/**
 * frame.analyze, the real worker path for one frame: glance (size, grey thumbnail) -> motion gate
 * (unless MOTION_GATE=off) -> decode and detect (skipped for an unchanged frame) -> the camera's
 * tracker, in ingest order (track-sequencer.ts) -> people counts from the tracker's events, faces
 * seen from the detections -> recognition once per track (track-recognition.ts) -> optional blurred copy (detections and
 * every live track's predicted box) -> delete the frame key, whatever happened (invariant 1). A
 * frame that is gone, corrupt or from a disabled camera is published as missing, so the camera's
 * later frames never wait for it; an expired one is counted as not analysed.
 */
export async function analyzeFrame(
  payload: JobPayload<"frame.analyze">,
  deps: FrameDeps,
  attempt: { final: boolean } = { final: true },
): Promise<FrameOutcome> {
  const fkey = frameKey(payload.frameId);
  const r = deps.redis;
  const capturedAt = new Date(payload.capturedAt);
  // The camera's counting line, once known: whoever applies frames applies them with it.
  let line: CountingLine | null = null;
  const missing = async () => {
    await publishResult(r, payload.cameraId, payload.seq, MISSING);
    // Later frames of the camera may be waiting behind this one: let them through now.
    await applyReady(r, payload.cameraId, line).catch(() => {});
  };
  let ended = true;
  try {
    const camera: CameraInfo | null = await db().camera.findUnique({
      where: { id: payload.cameraId },
      select: {
        storeId: true,
        enabled: true,
        countingLine: true,
        store: { select: { recognitionEnabled: true, keepFrames: true, frameRetentionDays: true } },
      },
    });
    line = parseLine(camera?.countingLine);
    const bytes = await r.getBuffer(fkey);
    if (!bytes) {
      await missing();
      // Accepted but gone before a worker reached it: reported, never dropped from the numbers.
      if (camera)
        await countFrame({
          frameId: payload.frameId,
          cameraId: payload.cameraId,
          storeId: camera.storeId,
          capturedAt,
          outcome: "not-analysed",
        });
      return { status: "expired", faces: 0, matched: 0 };
    }
    if (!camera) return (await missing(), { status: "camera-gone", faces: 0, matched: 0 });
    // Disabling a camera also stops the frames it sent before, still waiting in the queue.
    if (!camera.enabled) return (await missing(), { status: "camera-disabled", faces: 0, matched: 0 });

    let g: Glance;
    try {
      g = await glance(bytes);
    } catch {
      return (await missing(), { status: "corrupt", faces: 0, matched: 0 });
    }
    // A store that keeps frames always detects: every face in a kept frame must be found and blurred.
    const keeps = camera.store.keepFrames && camera.store.frameRetentionDays > 0;
    const gated = !keeps && env().MOTION_GATE === "on";
    const skip = gated && (await unchanged(r, payload.cameraId, g, payload.trackAt));
    let img: unknown = null;
    let faces: DetectedFace[] | null = null;
    if (!skip) {
      try {
        img = await deps.vision.decode(bytes);
      } catch {
        return (await missing(), { status: "corrupt", faces: 0, matched: 0 });
      }
      faces = await deps.vision.detect(img);
      if (gated) await rememberDetected(r, payload.cameraId, g, payload.trackAt);
    }
    const frame = frameSize(img, g);

    const sequenced = await sequenceFrame(r, {
      cameraId: payload.cameraId,
      seq: payload.seq,
      result: { t: payload.trackAt, frame, detections: faces },
      line,
    });
    const applied = sequenced.status === "applied" ? sequenced.applied : null;
    deps.onTracked?.({
      seq: payload.seq,
      sequenced: sequenced.status,
      detections: faces,
      trackIds: applied?.assignments ?? (faces ?? []).map(() => null),
      events: applied?.events ?? [],
      occupancy: applied?.occupancy ?? 0,
    });

    // Once per frame, whatever retries follow (a retry after a failure further down, or after the
    // worker was killed mid-job, finds the frame already counted).
    await countFrame({
      frameId: payload.frameId,
      cameraId: payload.cameraId,
      storeId: camera.storeId,
      capturedAt,
      faces: faces?.length ?? 0,
      events: applied?.events ?? [],
      occupancy: applied?.occupancy ?? 0,
      outcome: skip ? "motion-skipped" : "analysed",
    });

    let matched = 0;
    if (faces?.length && applied && camera.store.recognitionEnabled) {
      const gallery = await deps.galleries.get(camera.storeId);
      if (gallery.matcher.size > 0) {
        const sighting = {
          cameraId: payload.cameraId,
          storeId: camera.storeId,
          frameId: payload.frameId,
          at: payload.trackAt,
          seenAt: capturedAt,
        };
        for (let i = 0; i < faces.length; i++) {
          const trackId = applied.assignments[i];
          if (trackId == null) continue;
          if (
            await recogniseTrackFace({ redis: r, vision: deps.vision, gallery }, img, faces[i]!, i, trackId, sighting)
          )
            matched++;
        }
      }
    }

    if (keeps && faces) await keepBlurredFrame(deps.vision, img, faces, applied?.unmatchedBoxes ?? [], payload, camera);
    return { status: skip ? "motion-skipped" : "analyzed", faces: faces?.length ?? 0, matched };
  } catch (e) {
    // A failure that will be retried (the database or Redis was unreachable) keeps the frame for
    // the retry, within its TTL: deleting it here lost the frame and its count on any outage.
    ended = attempt.final;
    if (ended) await missing().catch(() => {});
    throw e;
  } finally {
    if (ended) {
      await r.del(fkey);
      // What the workers finish is what ingest admits (lib/ingest/drain-rate.ts).
      await recordDrained(r).catch(() => {});
    }
  }
}

function parseLine(v: unknown): CountingLine | null {
  if (v == null) return null;
  const parsed = countingLineSchema.safeParse(v);
  return parsed.success ? parsed.data : null;
}

function frameSize(img: unknown, g: Glance): { width: number; height: number } {
  const i = img as { width?: unknown; height?: unknown } | null;
  return typeof i?.width === "number" && typeof i.height === "number"
    ? { width: i.width, height: i.height }
    : { width: g.width, height: g.height };
}

/**
 * Stores a copy with every face irreversibly blurred (invariant 7), deleted at retention end: the
 * frame's detections and the predicted boxes of live tracks this frame's detections missed, so a
 * face the detector lost for one frame is still covered.
 */
async function keepBlurredFrame(
  vision: VisionPort,
  img: unknown,
  faces: DetectedFace[],
  trackBoxes: Box[],
  payload: JobPayload<"frame.analyze">,
  camera: CameraInfo,
) {
  const blurred = await vision.redact(img, [...faces, ...trackBoxes.map((box) => ({ box, score: 0 }))]);
  const dir = path.join(env().DATA_DIR, "frames", camera.storeId);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${payload.frameId}.jpg`);
  await writeFile(file, blurred);
  await db().storedFrame.create({
    data: {
      storeId: camera.storeId,
      cameraId: payload.cameraId,
      path: file,
      capturedAt: new Date(payload.capturedAt),
      expiresAt: new Date(Date.now() + camera.store.frameRetentionDays * 86_400_000),
    },
  });
}
