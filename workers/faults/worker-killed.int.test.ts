// Fault: a worker process is killed (SIGKILL) while it processes frames. Its jobs are taken over
// by another worker once their lock lapses (or their frames expire); no visit is written twice and
// no frame key is left behind.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "../../lib/db.ts";
import { closeRedis, key, ready, redis } from "../../lib/redis.ts";
import { makeStore } from "../../lib/testing/fixtures.ts";
import { checkedInShopper } from "../../lib/testing/shopper-in-store.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { acceptFrame, INGEST_PATH } from "../../lib/ingest/accept-frame.ts";
import { signFrame } from "../../lib/ingest/frame-signature.ts";
import { closeQueues, queue } from "../jobs/queues.ts";
import { facesDir } from "../../tests/faces.ts";

const faces = facesDir();
const children: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const c = spawn("npx", ["tsx", "workers/main.ts"], { env: { ...process.env, LOG_LEVEL: "error", WORKER_LOCK_MS: "3000" }, stdio: ["ignore", "ignore", "inherit"], detached: true });
  children.push(c);
  return c;
}
const killGroup = (c: ChildProcess, sig: NodeJS.Signals) => {
  try {
    process.kill(-c.pid!, sig);
  } catch {}
};

afterAll(async () => {
  for (const c of children) killGroup(c, "SIGTERM");
  await new Promise((r) => setTimeout(r, 1500));
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

describe("fault: kill -9 a worker mid-way", () => {
  it("frames are finished by another worker, no visit twice, no frame key left", async () => {
    const store = await makeStore();
    const camera = await registerCamera({ storeSlug: store.slug, name: "door", actor: { id: null, role: "SYSTEM" } });
    const { shopper, probe } = await checkedInShopper(store.slug, path.join(faces, "verification", "faceapi_raj"));

    const first = startWorker();
    const q = queue("frames");
    // Wait until the first worker is really consuming before loading it.
    const ids: string[] = [];
    const t = Math.floor(Date.now() / 1000) - 40;
    for (let i = 0; i < 40; i++) {
      const ts = String(t + i);
      ids.push((await acceptFrame({ cameraId: camera.cameraId, timestamp: ts, signature: signFrame(camera.secret, "POST", INGEST_PATH, ts, probe), body: probe, now: (t + i) * 1000 })).frameId);
    }
    const until = Date.now() + 30_000;
    while (Date.now() < until && (await q.getActiveCount()) === 0) await new Promise((r) => setTimeout(r, 50));
    killGroup(first, "SIGKILL");
    startWorker();

    const deadline = Date.now() + 90_000;
    let jobs = await Promise.all(ids.map((id) => q.getJob(`frame.analyze-${id}`)));
    while (Date.now() < deadline) {
      jobs = await Promise.all(ids.map((id) => q.getJob(`frame.analyze-${id}`)));
      if (jobs.every((j) => j?.finishedOn)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(jobs.filter((j) => !j?.finishedOn)).toEqual([]);
    const visits = await db().visit.findMany({ where: { userId: shopper.id } });
    expect(new Set(visits.map((x) => x.frameId)).size).toBe(visits.length); // never twice
    // A frame whose job was cut off by the kill and later found its key expired is lost, not
    // duplicated; every frame that finished "analyzed" has exactly one visit.
    const analyzed = jobs.filter((j) => (j!.returnvalue as { status?: string } | undefined)?.status === "analyzed").length;
    expect(visits.length).toBe(analyzed);
    expect(analyzed).toBeGreaterThan(30);
    // Only this test's frames: other test files of the run may have frames of their own in flight.
    expect(await (await ready(redis("producer"))).exists(...ids.map((id) => key("frame", id)))).toBe(0);
  });
});
