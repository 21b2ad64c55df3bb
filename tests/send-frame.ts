import { acceptFrame, INGEST_PATH, type FrameRequest } from "../lib/ingest/accept-frame.ts";
import { signFrame } from "../lib/ingest/frame-signature.ts";
import { isAppError } from "../lib/errors/app-error.ts";

export type TestCamera = { cameraId: string; secret: string };

let last = 0;

/**
 * The request a camera would make for one frame, signed over method, path, timestamp and body.
 * Without `at`, each frame gets a new timestamp: now, or one second after the previous one, since
 * the same photo sent twice in one second is a replay. `at.now` lets a burst be replayed faster
 * than real time (the ingest clock is `now`).
 */
export function signedFrame(
  camera: TestCamera,
  body: Buffer,
  at?: { timestamp: number; now?: number },
): FrameRequest & { signature: string } {
  const seconds = at?.timestamp ?? (last = Math.max(Math.floor(Date.now() / 1000), last + 1));
  const timestamp = String(seconds);
  const signature = signFrame(camera.secret, "POST", INGEST_PATH, timestamp, body);
  return { cameraId: camera.cameraId, timestamp, signature, body, now: at?.now };
}

/** Sends one frame through ingest exactly as a camera would and returns its frame id. */
export async function sendFrame(
  camera: TestCamera,
  body: Buffer,
  at?: { timestamp: number; now?: number },
): Promise<string> {
  return (await acceptFrame(signedFrame(camera, body, at))).frameId;
}

/**
 * Like sendFrame, but as a camera that honours back-pressure: a frame refused with queue_full
 * (ingest's 503) is sent again after its Retry-After, for up to `patienceMs`. For tests that post a
 * burst faster than a just-started worker has shown it can drain (lib/ingest/drain-rate.ts).
 */
export async function sendFrameHonouringRetry(
  camera: TestCamera,
  body: Buffer,
  at?: { timestamp: number; now?: number },
  patienceMs = 120_000,
): Promise<string> {
  const until = Date.now() + patienceMs;
  const req = signedFrame(camera, body, at);
  for (;;) {
    try {
      return (await acceptFrame(req)).frameId;
    } catch (e) {
      if (!isAppError(e, "queue_full") || Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, 1000 * (e.retryAfter ?? 1)));
    }
  }
}
