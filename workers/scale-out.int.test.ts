// Two worker processes against one Redis share the frame work; every frame is analysed, counted
// and recorded exactly once.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "../lib/db.ts";
import { makeStore } from "../tests/fixtures.ts";
import { checkedInShopper } from "../tests/shopper-in-store.ts";
import { registerCamera } from "../lib/cameras/register-camera.ts";
import { sendFrame } from "../tests/send-frame.ts";
import { facesDir } from "../tests/faces.ts";
import { startWorkerProcess, type WorkerProcess } from "../tests/worker-process.ts";
import { untilFrameJobsFinish } from "../tests/frame-jobs.ts";

const FRAMES = 24;
const workers: WorkerProcess[] = [];

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

describe("scale-out", () => {
  it(
    "two worker processes split the frames and each frame is analysed, counted and recorded once",
    { timeout: 180_000 },
    async () => {
      for (let i = 0; i < 2; i++) workers.push(startWorkerProcess());
      // Both consuming before the first frame, however long each took to start.
      const names = await Promise.all(workers.map((w) => w.ready));
      expect(new Set(names).size).toBe(2);
      const store = await makeStore();
      const camera = await registerCamera({
        storeSlug: store.slug,
        name: "busy door",
        actor: { id: null, role: "SYSTEM" },
      });
      const { shopper, probe } = await checkedInShopper(
        store.slug,
        path.join(facesDir(), "verification", "faceapi_penny"),
      );

      const ids: string[] = [];
      const t = Math.floor(Date.now() / 1000) - 30;
      for (let i = 0; i < FRAMES; i++) {
        ids.push(await sendFrame(camera, probe, { timestamp: t + i, now: (t + i) * 1000 }));
      }
      const jobs = await untilFrameJobsFinish(ids, 120_000);
      expect(jobs.map((j) => j.returnvalue)).toEqual(ids.map(() => ({ status: "analyzed", faces: 1, matched: 1 })));
      expect(new Set(jobs.map((j) => j.processedBy))).toEqual(new Set(names));
      // One stay, whichever worker saw which frame, each sighting counted once.
      const visits = await db().visit.findMany({ where: { userId: shopper.id } });
      expect(visits.map((v) => [v.sightings, [...v.recentSightings].sort()])).toEqual([
        [FRAMES, ids.map((id) => `${id}:0`).sort()],
      ]);
      // Counted once per frame: the footfall counter has no unique index to hide a second count.
      const buckets = await db().footfallBucket.findMany({ where: { cameraId: camera.cameraId } });
      expect(buckets.reduce((a, b) => a + b.frames, 0)).toBe(FRAMES);
    },
  );
});
