// The same camera sequence through one worker process and through three: detection runs in
// parallel on whichever worker took a frame, association is applied in ingest order per camera
// (workers/frames/track-sequencer.ts), so entries, exits, line crossings, occupancy, dwell and
// visits come out identical, and every frame is analysed and counted once.
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "../lib/db.ts";
import { makeStore } from "../tests/fixtures.ts";
import { checkedInShopper } from "../tests/shopper-in-store.ts";
import { registerCamera } from "../lib/cameras/register-camera.ts";
import { sendFrameHonouringRetry, type TestCamera } from "../tests/send-frame.ts";
import { facesDir } from "../tests/faces.ts";
import { startWorkerProcess, type WorkerProcess } from "../tests/worker-process.ts";
import { untilFrameJobsFinish } from "../tests/frame-jobs.ts";
import { crossingScene, viewFrame } from "../tests/walk-frames.ts";

const running: WorkerProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((w) => w.stop()));
});

// Frames 500 ms apart on the ingest clock; a generous reorder window, so that on a loaded machine
// no frame of the three-worker run is skipped as late (which would be a legitimate difference).
const STEP_MS = 500;
const WORKER_ENV = { TRACK_REORDER_MS: "15000" };

// Each run has a store and a checked-in shopper of its own (the same photos), so its stays are its own.
async function run(workers: number, frames: Buffer[], identity: string) {
  const store = await makeStore();
  const storeSlug = store.slug;
  const { shopper } = await checkedInShopper(storeSlug, identity);
  const procs = Array.from({ length: workers }, () => startWorkerProcess(WORKER_ENV));
  running.push(...procs);
  const names = await Promise.all(procs.map((w) => w.ready));
  const camera: TestCamera = await registerCamera({
    storeSlug,
    name: `door ${workers}`,
    actor: { id: null, role: "SYSTEM" },
  });
  await db().camera.update({
    where: { id: camera.cameraId },
    data: { countingLine: { x1: 0.5, y1: 0.05, x2: 0.5, y2: 0.95, band: 0.03 } },
  });
  // An even second, in both runs: the 2 s visit slots then split the frames the same way.
  const t0 = 2 * Math.floor(Date.now() / 2000) - 30;
  const ids: string[] = [];
  for (let i = 0; i < frames.length; i++) {
    const now = t0 * 1000 + i * STEP_MS;
    // As a camera that honours back-pressure: on a loaded machine, the just-started workers' drain
    // rate can refuse part of a burst (503 queue_full); the frame is then sent again, in order.
    ids.push(await sendFrameHonouringRetry(camera, frames[i]!, { timestamp: Math.floor(now / 1000), now }));
  }
  const jobs = await untilFrameJobsFinish(ids, 150_000);
  await Promise.all(procs.map((w) => w.stop()));
  const buckets = await db().footfallBucket.findMany({ where: { cameraId: camera.cameraId } });
  const sum = (k: keyof (typeof buckets)[number]) => buckets.reduce((a, b) => a + (b[k] as number), 0);
  return {
    names,
    processedBy: new Set(jobs.map((j) => j.processedBy)),
    statuses: jobs.map((j) => (j.returnvalue as { status: string }).status),
    faces: jobs.map((j) => (j.returnvalue as { faces: number }).faces),
    counts: {
      frames: sum("frames"),
      entries: sum("entries"),
      exits: sum("exits"),
      lineIn: sum("lineIn"),
      lineOut: sum("lineOut"),
      maxOccupancy: Math.max(...buckets.map((b) => b.maxOccupancy)),
      dwellUnder1m: sum("dwellUnder1m"),
      notAnalysed: sum("notAnalysed"),
    },
    visits: (await db().visit.findMany({ where: { userId: shopper.id } })).map((v) => v.sightings),
  };
}

describe("scale-out", () => {
  it(
    "one worker process and three count the same people, crossings and visits from the same frames",
    { timeout: 400_000 },
    async () => {
      const faces = facesDir();
      const identity = path.join(faces, "verification", "faceapi_penny");
      const shopperPhoto = path.join(identity, readdirSync(identity).sort()[1]!);
      const passerBy = path.join(faces, "verification", "faceapi_leonard", "leonard1.png");
      // Two people crossing in opposite directions, then an empty view 3 s later (their exits).
      const scene = await crossingScene(shopperPhoto, passerBy, 12, 0);
      const empty = await Promise.all(Array.from({ length: 6 }, (_, i) => viewFrame([], i + 1)));
      const frames = [...scene.frames, ...empty];

      const one = await run(1, frames, identity);
      const three = await run(3, frames, identity);

      expect(three.processedBy.size).toBeGreaterThanOrEqual(2);
      for (const r of [one, three]) {
        expect(r.statuses.every((s) => s === "analyzed" || s === "motion-skipped")).toBe(true);
        expect(r.counts.frames).toBe(frames.length);
        expect(r.counts.notAnalysed).toBe(0);
      }
      // The ground truth of the scene: two people, one crossing each way, both gone at the end.
      expect(one.counts).toMatchObject({ entries: 2, exits: 2, lineIn: 1, lineOut: 1, maxOccupancy: 2 });
      expect(one.visits).toHaveLength(1); // one stay, its sightings one per 2 s slot
      expect(one.visits[0]).toBeGreaterThan(0);
      expect(three.counts).toEqual(one.counts);
      expect(three.faces).toEqual(one.faces);
      expect(three.visits).toEqual(one.visits);
    },
  );
});
