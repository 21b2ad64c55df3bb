import type { RedisClient } from "../../lib/redis.ts";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { db } from "../../lib/db.ts";
import { env } from "../../lib/env.ts";
import { frameKey } from "../../lib/frames/frame-store.ts";
import { key } from "../../lib/redis.ts";
import { countFrame } from "../../lib/footfall/count-frame.ts";
import { recordVisit } from "../../lib/visits/record-visit.ts";
import type { JobPayload } from "../../lib/jobs/contract.ts";
import type { GalleryCache } from "./gallery-cache.ts";
import type { VisionPort } from "./vision-port.ts";

export type FrameOutcome = {
  status: "analyzed" | "expired" | "corrupt" | "camera-gone" | "camera-disabled";
  faces: number;
  matched: number;
};

type Deps = { redis: RedisClient; vision: VisionPort; galleries: GalleryCache };

type CameraInfo = {
  storeId: string;
  enabled: boolean;
  store: { recognitionEnabled: boolean; keepFrames: boolean; frameRetentionDays: number };
};

/**
 * frame.analyze: decode -> detect -> anonymous counts -> (recognition on and gallery non-empty)
 * embed faces that pass the quality gate and match them -> conditional visit insert -> optional
 * blurred copy -> delete the frame key, whatever happened (invariant 1). An unmatched face's
 * embedding is never stored or logged (invariant 2): it goes out of scope at the end of the loop.
 */
export async function analyzeFrame(
  payload: JobPayload<"frame.analyze">,
  deps: Deps,
  attempt: { final: boolean } = { final: true },
): Promise<FrameOutcome> {
  const fkey = frameKey(payload.frameId);
  // Set once the frame is counted, so a retry after a later failure (e.g. the database went away
  // mid-job) does not count it twice. Lives no longer than the frame itself.
  const countedKey = key("frame-counted", payload.frameId);
  let ended = true;
  try {
    const bytes = await deps.redis.getBuffer(fkey);
    if (!bytes) return { status: "expired", faces: 0, matched: 0 };
    const camera: CameraInfo | null = await db().camera.findUnique({
      where: { id: payload.cameraId },
      select: {
        storeId: true,
        enabled: true,
        store: { select: { recognitionEnabled: true, keepFrames: true, frameRetentionDays: true } },
      },
    });
    if (!camera) return { status: "camera-gone", faces: 0, matched: 0 };
    // Disabling a camera also stops the frames it sent before, still waiting in the queue.
    if (!camera.enabled) return { status: "camera-disabled", faces: 0, matched: 0 };

    let img: unknown;
    try {
      img = await deps.vision.decode(bytes);
    } catch {
      return { status: "corrupt", faces: 0, matched: 0 };
    }
    const faces = await deps.vision.detect(img);
    const capturedAt = new Date(payload.capturedAt);
    if (!(await deps.redis.exists(countedKey))) {
      await countFrame({ cameraId: payload.cameraId, storeId: camera.storeId, capturedAt, faces: faces.length });
      await deps.redis.set(countedKey, "1", "EX", env().FRAME_TTL_SECONDS);
    }

    let matched = 0;
    if (camera.store.recognitionEnabled && faces.length) {
      const gallery = await deps.galleries.get(camera.storeId);
      if (gallery.matcher.size > 0) {
        for (let i = 0; i < faces.length; i++) {
          const face = faces[i]!;
          if (!(await deps.vision.quality(img, face)).ok) continue;
          const result = gallery.matcher.match(await deps.vision.embed(img, face));
          if (!deps.vision.isMatch(result)) continue;
          const entry = gallery.entries.get(result.best!.id);
          if (!entry) continue;
          // Age and gender are computed only for a recognised shopper who granted demographics
          // (invariant 4); the insert re-checks that consent.
          const demo = entry.demographics ? await deps.vision.ageGender(img, face) : null;
          const { inserted } = await recordVisit({
            userId: entry.userId,
            storeId: camera.storeId,
            cameraId: payload.cameraId,
            frameId: payload.frameId,
            faceIndex: i,
            seenAt: capturedAt,
            score: result.best!.score,
            ageBand: demo?.ageBand ?? null,
            gender: demo?.gender ?? null,
          });
          if (inserted) matched++;
        }
      }
    }

    if (camera.store.keepFrames && camera.store.frameRetentionDays > 0) {
      await keepBlurredFrame(deps.vision, img, faces, payload, camera);
    }
    return { status: "analyzed", faces: faces.length, matched };
  } catch (e) {
    // A failure that will be retried (the database or Redis was unreachable) keeps the frame for
    // the retry, within its TTL: deleting it here lost the frame and its count on any outage.
    ended = attempt.final;
    throw e;
  } finally {
    if (ended) await deps.redis.del(fkey, countedKey);
  }
}

/** Stores a copy with every face irreversibly blurred (invariant 7), deleted at retention end. */
async function keepBlurredFrame(
  vision: VisionPort,
  img: unknown,
  faces: Awaited<ReturnType<VisionPort["detect"]>>,
  payload: JobPayload<"frame.analyze">,
  camera: CameraInfo,
) {
  const blurred = await vision.redact(img, faces);
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
