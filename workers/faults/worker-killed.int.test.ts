// Fault: a worker process is killed (SIGKILL) while it is in the middle of frame jobs. Nothing is
// lost and nothing counted twice: the killed worker was mid-job (its jobs were active, held by it,
// when it died), another worker took those jobs over once their lock lapsed and finished them, and
// every frame accepted before the fault was analysed and counted in footfall exactly once, and
// the shopper's track recorded its visits with no frame twice.
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { db } from "../../lib/db.ts";
import { key, ready, redis } from "../../lib/redis.ts";
import { makeStore } from "../../tests/fixtures.ts";
import { checkedInShopper } from "../../tests/shopper-in-store.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { sendFrameHonouringRetry } from "../../tests/send-frame.ts";
import { queue } from "../../lib/jobs/queues.ts";
import { facesDir } from "../../tests/faces.ts";
import { startWorkerProcess, type WorkerProcess } from "../../tests/worker-process.ts";
import { untilFrameJobsFinish } from "../../tests/frame-jobs.ts";
import { until } from "../../tests/until.ts";

// Frames must outlive the fault and the takeover even on a loaded machine: this test is about the
// kill, not the TTL (frame-pipeline.int.test.ts covers expiry). Set before env() is first read.
vi.hoisted(() => {
  process.env.FRAME_TTL_SECONDS = "600";
});

const FRAMES = 24;
const workers: WorkerProcess[] = [];

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

describe("fault: kill -9 a worker mid-way", () => {
  it(
    "its jobs are finished by the other worker; every frame counted and recorded exactly once",
    { timeout: 240_000 },
    async () => {
      const store = await makeStore();
      const camera = await registerCamera({ storeSlug: store.slug, name: "door", actor: { id: null, role: "SYSTEM" } });
      const { shopper, probe } = await checkedInShopper(
        store.slug,
        path.join(facesDir(), "verification", "faceapi_raj"),
      );
      const q = queue("frames");

      const first = startWorkerProcess({ WORKER_LOCK_MS: "3000" });
      workers.push(first);
      const firstName = await first.ready;
      const ids: string[] = [];
      const t = Math.floor(Date.now() / 1000) - FRAMES;
      for (let i = 0; i < FRAMES; i++) {
        ids.push(await sendFrameHonouringRetry(camera, probe, { timestamp: t + i, now: (t + i) * 1000 }));
      }
      const jobIds = new Set(ids.map((id) => `frame.analyze-${id}`));
      // Let it finish a few, then kill it while it holds jobs.
      await until(
        "the first worker to finish 3 frames and hold another",
        async () => (await q.getCompletedCount()) >= 3 && (await q.getActiveCount()) > 0,
        120_000,
        20,
      );
      first.kill("SIGKILL");
      // Nothing else is running: whatever is active now was cut off inside the killed worker.
      const cutOff = (await q.getActive()).filter((j) => jobIds.has(j.id!));
      expect(cutOff.length).toBeGreaterThan(0);
      expect(cutOff.map((j) => j.processedBy)).toEqual(cutOff.map(() => firstName));

      const second = startWorkerProcess({ WORKER_LOCK_MS: "3000" });
      workers.push(second);
      const secondName = await second.ready;
      expect(secondName).not.toBe(firstName);

      const jobs = await untilFrameJobsFinish(ids, 90_000);
      // Every frame analysed (or skipped by the motion gate: the same photo again), none failed,
      // none expired: nothing lost.
      const outcomes = jobs.map((j) => j.returnvalue as { status: string; faces: number; matched: number });
      expect(outcomes.filter((o) => o.status !== "analyzed" && o.status !== "motion-skipped")).toEqual([]);
      expect(jobs.filter((j) => j.failedReason)).toEqual([]);
      // The cut-off jobs were completed by the other worker.
      for (const c of cutOff) expect((await q.getJob(c.id!))!.processedBy, c.id).toBe(secondName);
      // Exactly once: every frame counted once (the footfall count has no unique index to hide a
      // second count), and the shopper's track recorded one stay holding no frame's sighting twice,
      // a retried job's included.
      const buckets = await db().footfallBucket.findMany({ where: { cameraId: camera.cameraId } });
      expect(buckets.reduce((a, b) => a + b.frames, 0)).toBe(FRAMES);
      expect(buckets.reduce((a, b) => a + b.faces, 0)).toBe(outcomes.reduce((a, o) => a + o.faces, 0));
      const visits = await db().visit.findMany({ where: { userId: shopper.id } });
      expect(visits).toHaveLength(1);
      const seen = visits[0]!.recentSightings;
      expect(seen.length).toBeGreaterThan(0);
      expect(visits[0]!.sightings).toBe(seen.length);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.every((s) => ids.includes(s.split(":")[0]!))).toBe(true);
      expect(await (await ready(redis("producer"))).exists(...ids.map((id) => key("frame", id)))).toBe(0);
    },
  );
});
