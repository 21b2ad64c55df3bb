// Two worker processes against one Redis share the frame work, and no visit is written twice.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "../lib/db.ts";
import { closeRedis } from "../lib/redis.ts";
import { makeStore } from "../lib/testing/fixtures.ts";
import { checkedInShopper } from "../lib/testing/shopper-in-store.ts";
import { registerCamera } from "../lib/cameras/register-camera.ts";
import { acceptFrame, INGEST_PATH } from "../lib/ingest/accept-frame.ts";
import { signFrame } from "../lib/ingest/frame-signature.ts";
import { closeQueues, queue } from "./jobs/queues.ts";
import { facesDir } from "../tests/faces.ts";

const faces = facesDir();
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) {
    try {
      process.kill(-c.pid!, "SIGTERM"); // the whole group: npx and the node process under it
    } catch {}
  }
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once("exit", r)))));
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

describe("scale-out", () => {
  it("two worker processes split the frames and write exactly one visit per frame", async () => {
    for (let i = 0; i < 2; i++) {
      const c = spawn("npx", ["tsx", "workers/main.ts"], { env: { ...process.env, LOG_LEVEL: "warn" }, stdio: ["ignore", "ignore", "inherit"], detached: true });
      children.push(c);
    }
    const store = await makeStore();
    const camera = await registerCamera({ storeSlug: store.slug, name: "busy door", actor: { id: null, role: "SYSTEM" } });
    const { shopper, probe } = await checkedInShopper(store.slug, path.join(faces, "verification", "faceapi_penny"));

    const ids: string[] = [];
    const t = Math.floor(Date.now() / 1000) - 30;
    for (let i = 0; i < 24; i++) {
      const ts = String(t + i);
      ids.push((await acceptFrame({ cameraId: camera.cameraId, timestamp: ts, signature: signFrame(camera.secret, "POST", INGEST_PATH, ts, probe), body: probe, now: (t + i) * 1000 })).frameId);
    }
    const q = queue("frames");
    const deadline = Date.now() + 90_000;
    let jobs = await Promise.all(ids.map((id) => q.getJob(`frame.analyze-${id}`)));
    while (Date.now() < deadline) {
      jobs = await Promise.all(ids.map((id) => q.getJob(`frame.analyze-${id}`)));
      if (jobs.every((j) => j?.finishedOn)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(jobs.every((j) => j?.finishedOn && !j.failedReason)).toBe(true);
    const workers = new Set(jobs.map((j) => j!.processedBy));
    expect(workers.size, [...workers].join(" ")).toBe(2);
    const visits = await db().visit.findMany({ where: { userId: shopper.id } });
    expect(visits).toHaveLength(24);
    expect(new Set(visits.map((x) => x.frameId)).size).toBe(24);
  });
});
