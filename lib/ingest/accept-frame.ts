import { randomUUID } from "node:crypto";
import { RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { AppError } from "../errors/app-error.ts";
import { key, ready, redis, replicated } from "../redis.ts";
import { openCameraSecret } from "../cameras/camera-secret-codec.ts";
import { deleteFrame, frameKey, putFrame } from "../frames/frame-store.ts";
import { HEADER_PATTERNS, signFrame, signatureMatches, timestampFresh, timestampMs } from "./frame-signature.ts";
import { looksLikeJpeg } from "./is-jpeg.ts";
import { logError } from "../log/log-error.ts";
import { enqueue, queue, queueConnection } from "../jobs/queues.ts";
import { QUEUES } from "../jobs/contract.ts";

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
  try {
    await putFrame(frameId, req.body, cfg.FRAME_TTL_SECONDS);
    await enqueue("frame.analyze", { frameId, cameraId: camera.id, capturedAt: timestampMs(req.timestamp) });
    // In a Redis Cluster, 202 only once a replica holds the frame and its job: a master that
    // crashes right after cannot take an accepted frame with it (ADR 0008).
    if (!(await framesReplicated(frameId)))
      throw new AppError("unavailable", "frame not yet copied to a replica", undefined, 2);
  } catch (e) {
    logError("ingest.enqueue", e, { frameId, cameraId: camera.id });
    await deleteFrame(frameId).catch(() => {});
    throw new AppError("unavailable", "frame could not be queued", undefined, 5);
  }
  return { frameId };
}
