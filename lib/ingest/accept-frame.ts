import { randomUUID } from "node:crypto";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { AppError } from "../errors/app-error.ts";
import { key, ready, redis, replicated, type RedisClient } from "../redis.ts";
import { openCameraSecret } from "../cameras/camera-secret-codec.ts";
import { deleteFrame, frameKey, putFrame } from "../frames/frame-store.ts";
import { HEADER_PATTERNS, signFrame, signatureMatches, timestampFresh, timestampMs } from "./frame-signature.ts";
import { looksLikeJpeg } from "./is-jpeg.ts";
import { logError } from "../log/log-error.ts";
import { enqueue, queue, queueConnection } from "../jobs/queues.ts";
import { QUEUES } from "../jobs/contract.ts";
import { trackKeys, MISSING, TRACK_TTL_SECONDS } from "../tracking/track-keys.ts";
import { admit, drainRate } from "./drain-rate.ts";

export const INGEST_PATH = "/api/ingest/frames";

export type FrameRequest = {
  cameraId: string | null;
  timestamp: string | null;
  signature: string | null;
  body: Uint8Array;
  // The client address (lib/http/client-ip.ts): failed signatures are counted per address and camera.
  clientIp?: string;
  now?: number;
};

// Failed signatures per client address and claimed camera id: after this many in a minute, that
// pair is answered 429 for the rest of the minute before any lookup. Unknown and real camera ids
// count alike, and fail with the same message, so neither the answer nor the limit tells them apart.
export const SIGNATURE_FAILURES_PER_MINUTE = 30;
let failures: RateLimiterRedis | undefined;
function signatureFailures(): RateLimiterRedis {
  failures ??= new RateLimiterRedis({
    storeClient: redis("producer"),
    keyPrefix: key("ingest-bad-signature"),
    points: SIGNATURE_FAILURES_PER_MINUTE,
    duration: 60,
    insuranceLimiter: new RateLimiterMemory({ points: SIGNATURE_FAILURES_PER_MINUTE, duration: 60 }),
  });
  return failures;
}
const BAD_SIGNATURE = "signature does not match";

// How long ingest waits for a replica to confirm a frame before it answers 503 instead.
const REPLICA_WAIT_MS = 1000;
async function framesReplicated(frameId: string): Promise<boolean> {
  const n = env().REDIS_WAIT_REPLICAS;
  // The frame key and the job went through two connections; both wait. (Both live in the
  // deployment's one hash slot, so the frame key names the master for either.)
  const done = await Promise.all(
    [redis("producer"), queueConnection(QUEUES.frames)].map((c) =>
      replicated(c, frameKey(frameId), n, REPLICA_WAIT_MS),
    ),
  );
  const ok = done.every(Boolean);
  // WAIT blocks the connection it runs on, which every request shares: after one timed out, refuse
  // at once for a while rather than queue more WAITs (and everything else) behind it.
  if (!ok) unreplicatedUntil = Date.now() + REPLICA_WAIT_MS;
  return ok;
}
let unreplicatedUntil = 0;

// A frame may wait at most half its life in the queue: the rest is for its retries (contract.ts
// spreads them over ~15 s) and the analysis itself.
export const admissionBudgetMs = (ttlSeconds: number) => ttlSeconds * 500;
// With no frame finished in the drain window (workers just started, or idle until now) this many may
// wait before ingest refuses: enough for a burst after a quiet spell, few enough that workers that
// are down strand only these (they are then counted as not analysed).
const COLD_START_DEPTH = 20;

/** Age of the oldest frame job still waiting (BullMQ pushes at the head, takes from the tail). */
async function oldestWaitingAgeMs(): Promise<number | null> {
  const q = queue(QUEUES.frames);
  const client = queueConnection(QUEUES.frames);
  const id = await client.lindex(q.keys.wait!, -1);
  if (!id) return null;
  const ts = await client.hget(q.toKey(id), "timestamp");
  return ts ? Math.max(0, Date.now() - Number(ts)) : null;
}

async function markMissing(r: RedisClient, cameraId: string, seq: number): Promise<void> {
  await r
    .multi()
    .set(trackKeys.result(cameraId, seq), JSON.stringify({ [MISSING]: true, at: Date.now() }), "EX", TRACK_TTL_SECONDS)
    .zadd(trackKeys.ready(cameraId), seq, String(seq))
    .expire(trackKeys.ready(cameraId), TRACK_TTL_SECONDS)
    .exec();
}

/**
 * Accepts one signed JPEG from a store camera. Every refusal is an AppError thrown before anything
 * is stored or queued; the only writes are the replay marker, the rate counter, the frame key and
 * the job, in that order, and the frame key is removed again if the job cannot be queued.
 */
export async function acceptFrame(req: FrameRequest): Promise<{ frameId: string }> {
  const cfg = env();
  const now = req.now ?? Date.now();
  if (!req.cameraId || !req.timestamp || !req.signature)
    throw new AppError("bad_signature", "camera, timestamp and signature headers are required");
  if (!HEADER_PATTERNS.camera.test(req.cameraId)) throw new AppError("bad_signature", BAD_SIGNATURE);
  const failKey = `${req.clientIp ?? "unknown"}|${req.cameraId}`;
  const seen = await signatureFailures()
    .get(failKey)
    .catch(() => null);
  if (seen && seen.consumedPoints >= SIGNATURE_FAILURES_PER_MINUTE) {
    throw new AppError(
      "rate_limited",
      "too many failed signatures",
      undefined,
      Math.max(1, Math.ceil(seen.msBeforeNext / 1000)),
    );
  }
  const fail = async (): Promise<never> => {
    await signatureFailures()
      .consume(failKey)
      .catch(() => {});
    throw new AppError("bad_signature", BAD_SIGNATURE);
  };
  if (!timestampFresh(req.timestamp, now, cfg.CLOCK_SKEW_SECONDS)) {
    throw new AppError("bad_signature", `timestamp missing or more than ${cfg.CLOCK_SKEW_SECONDS}s from server time`);
  }

  const camera = await db().camera.findUnique({ where: { id: req.cameraId } });
  if (!camera) {
    // The same HMAC work as for a real camera, then the same answer.
    signatureMatches(signFrame("no such camera", "POST", INGEST_PATH, req.timestamp, req.body), req.signature);
    return fail();
  }
  const secret = openCameraSecret(camera);
  if (!signatureMatches(signFrame(secret, "POST", INGEST_PATH, req.timestamp, req.body), req.signature)) return fail();
  if (!camera.enabled) throw new AppError("camera_disabled", "camera is disabled");
  if (!looksLikeJpeg(req.body)) throw new AppError("not_jpeg", "body is not a JPEG image");

  const r = await ready(redis("producer")).catch(() => {
    throw new AppError("unavailable", "frame store unavailable", undefined, 5);
  });
  try {
    // Per-camera rate: a counter per second.
    const second = Math.floor(now / 1000);
    const rateKey = key("rate", camera.id, String(second));
    const [[, count]] = (await r.multi().incr(rateKey).expire(rateKey, 2).exec()) as [[null, number], unknown];
    if (count > cfg.CAMERA_MAX_FPS)
      throw new AppError("rate_limited", `over ${cfg.CAMERA_MAX_FPS} frames per second`, undefined, 1);

    const depth = await queue(QUEUES.frames).getJobCountByTypes("waiting", "prioritized", "delayed");
    if (depth >= cfg.FRAME_QUEUE_LIMIT) throw new AppError("queue_full", "frame queue is full", { depth }, 2);
    // Refuse what the workers cannot finish before it expires, measured, not guessed: a frame
    // accepted and then lost at its TTL is a silent hole in the counts (issue 16).
    const admission = admit({
      depth,
      rate: await drainRate(r),
      oldestAgeMs: depth > 0 ? await oldestWaitingAgeMs() : null,
      budgetMs: admissionBudgetMs(cfg.FRAME_TTL_SECONDS),
      coldStartDepth: COLD_START_DEPTH,
    });
    if (!admission.ok) throw new AppError("queue_full", admission.reason, { depth }, admission.retryAfter);

    // A signature is good once: remember it for as long as its timestamp could still be fresh.
    const fresh = await r.set(
      key("replay", camera.id, req.signature.slice(3, 35)),
      "1",
      "EX",
      cfg.CLOCK_SKEW_SECONDS * 2,
      "NX",
    );
    if (fresh !== "OK") throw new AppError("replayed", "this signed request was already received");
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError("unavailable", "frame store unavailable", undefined, 5);
  }

  if (Date.now() < unreplicatedUntil)
    throw new AppError("unavailable", "no replica in sync to copy frames to", undefined, 2);
  const frameId = randomUUID();
  let seq = 0;
  try {
    // The camera's frame number: its frames reach the tracker in this order (lib/tracking/sequencer.ts).
    seq = await r.incr(trackKeys.seq(camera.id));
    await putFrame(frameId, req.body, cfg.FRAME_TTL_SECONDS);
    await enqueue("frame.analyze", {
      frameId,
      cameraId: camera.id,
      capturedAt: timestampMs(req.timestamp),
      seq,
      trackAt: req.timestamp.length === 13 ? timestampMs(req.timestamp) : now,
    });
    // In a Redis Cluster, 202 only once a replica holds the frame and its job: a master that
    // crashes right after cannot take an accepted frame with it (ADR 0008).
    if (!(await framesReplicated(frameId)))
      throw new AppError("unavailable", "frame not yet copied to a replica", undefined, 2);
  } catch (e) {
    logError("ingest.enqueue", e, { frameId, cameraId: camera.id });
    await deleteFrame(frameId).catch(() => {});
    // No job will publish this number: tell the tracker at once rather than make it wait for it.
    if (seq) await markMissing(r, camera.id, seq).catch(() => {});
    throw new AppError("unavailable", "frame could not be queued", undefined, 5);
  }
  return { frameId };
}
