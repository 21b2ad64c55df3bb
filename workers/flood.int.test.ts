// Every accepted frame is counted or refused, never silently lost (issue 16): four cameras flood
// the ingest at their allowed rate, far beyond what one worker process analyses. Ingest refuses
// (503 queue_full, Retry-After) what the workers cannot finish before the frame expires, from the
// measured drain rate and the oldest waiting frame, so accepted = analysed + not analysed, and
// hardly any accepted frame expires.
process.env.FRAME_TTL_SECONDS = "8";

import { afterAll, describe, expect, it } from "vitest";
import path from "node:path";
import { db } from "../lib/db.ts";
import { isAppError } from "../lib/errors/app-error.ts";
import { acceptFrame } from "../lib/ingest/accept-frame.ts";
import { makeStore } from "../tests/fixtures.ts";
import { registerCamera } from "../lib/cameras/register-camera.ts";
import { signedFrame, type TestCamera } from "../tests/send-frame.ts";
import { facesDir } from "../tests/faces.ts";
import { startWorkerProcess, type WorkerProcess } from "../tests/worker-process.ts";
import { untilFrameJobsFinish } from "../tests/frame-jobs.ts";
import { viewFrame, VIEW } from "../tests/walk-frames.ts";

let worker: WorkerProcess | undefined;
afterAll(async () => {
  await worker?.stop();
});

const CAMERAS = 4;
const FLOOD_MS = 12_000;
const MAX_FRAMES = 600;

describe("a flood beyond capacity", () => {
  it(
    "is refused with 503 before frames would expire: accepted = analysed + not analysed",
    { timeout: 240_000 },
    async () => {
      worker = startWorkerProcess({ FRAME_TTL_SECONDS: "8" });
      await worker.ready;
      const store = await makeStore();
      const cameras: TestCamera[] = [];
      for (let i = 0; i < CAMERAS; i++)
        cameras.push(
          await registerCamera({ storeSlug: store.slug, name: `cam ${i}`, actor: { id: null, role: "SYSTEM" } }),
        );
      const person = path.join(facesDir(), "verification", "faceapi_howard", "howard1.png");
      // A person walking across: every frame moves, so none skips detection.
      const frames = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          viewFrame([{ photo: person, x: 90 + ((i * 12) % (VIEW.width - 180)), y: 180, side: 150 }], i + 1),
        ),
      );

      const accepted: string[] = [];
      let refused = 0;
      let other = 0;
      const started = Date.now();
      let n = 0;
      while (Date.now() - started < FLOOD_MS && n < MAX_FRAMES) {
        const tick = Date.now();
        for (const camera of cameras) {
          const body = frames[n++ % frames.length]!;
          try {
            accepted.push(
              (await acceptFrame(signedFrame(camera, body, { timestamp: Math.floor(Date.now() / 1000) }))).frameId,
            );
          } catch (e) {
            if (isAppError(e, "queue_full")) refused++;
            else other++; // per-camera rate (429) or a replay of the same body in one second
          }
        }
        // Each camera at about its allowed 10 frames per second.
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - tick))));
      }
      const jobs = await untilFrameJobsFinish(accepted, 120_000);
      const buckets = await db().footfallBucket.findMany({ where: { storeId: store.id } });
      const analysed = buckets.reduce((a, b) => a + b.frames, 0);
      const notAnalysed = buckets.reduce((a, b) => a + b.notAnalysed, 0);
      const expired = jobs.filter((j) => (j.returnvalue as { status?: string })?.status === "expired").length;
      console.log(JSON.stringify({ offered: n, accepted: accepted.length, refused, other, analysed, notAnalysed }));

      expect(refused).toBeGreaterThan(0); // the flood did exceed what the worker can do
      expect(analysed + notAnalysed).toBe(accepted.length);
      expect(notAnalysed).toBe(expired);
      expect(notAnalysed).toBeLessThanOrEqual(Math.ceil(accepted.length * 0.02));
    },
  );
});
