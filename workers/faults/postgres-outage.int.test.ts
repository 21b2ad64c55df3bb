// Fault: PostgreSQL is unreachable for a while. A worker whose database link goes through a proxy
// the test can cut fails its job attempts, retries with backoff, and completes once the database
// is back. The shared PostgreSQL itself is never touched.
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db.ts";
import { key, ready, redis } from "../../lib/redis.ts";
import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { sendFrame } from "../../tests/send-frame.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { submitRequest } from "../../lib/requests/submit-request.ts";
import { queue } from "../../lib/jobs/queues.ts";
import { startWorkerProcess, type WorkerProcess } from "../../tests/worker-process.ts";
import { until } from "../../tests/until.ts";

const target = new URL(process.env.DATABASE_URL!);
let proxy: Server | undefined;
const sockets = new Set<Socket>();
let proxyPort = 0;
let worker: WorkerProcess | undefined;

function proxyUp(port = 0): Promise<number> {
  return new Promise((resolve) => {
    proxy = createServer((client) => {
      const upstream = createConnection(Number(target.port || 5432), target.hostname);
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const drop = () => (client.destroy(), upstream.destroy());
      client.on("error", drop).on("close", drop);
      upstream.on("error", drop).on("close", drop);
    });
    proxy.listen(port, "127.0.0.1", () => resolve((proxy!.address() as { port: number }).port));
  });
}
function proxyDown(): Promise<void> {
  for (const s of sockets) s.destroy();
  sockets.clear();
  return new Promise((r) => proxy!.close(() => r()));
}

afterAll(async () => {
  await worker?.stop();
  if (proxy?.listening) await proxyDown();
});

const faces = path.resolve(process.env.FACES_DIR ?? path.join(import.meta.dirname, "../../../shared/faces"));

async function startWorkerBehindProxy() {
  if (worker) return;
  proxyPort = await proxyUp();
  const viaProxy = new URL(process.env.DATABASE_URL!);
  viaProxy.host = `127.0.0.1:${proxyPort}`;
  worker = startWorkerProcess({ DATABASE_URL: viaProxy.toString() });
  await worker.ready; // its workers are listening for jobs: the outage starts with the worker running
}

const waitFor = (what: string, cond: () => Promise<boolean>) => until(what, cond, 45_000, 100);

describe("fault: PostgreSQL unreachable for a while", () => {
  it("jobs retry with backoff and complete when it returns", async () => {
    const store = await makeStore();
    const user = await makeUser();
    await startWorkerBehindProxy();
    await proxyDown();
    const request = await submitRequest({ userId: user.id, storeSlug: store.slug, kind: "ACCESS" });
    const jobId = `request.export-${request.id}`;
    // It failed at least once while the database was away.
    await waitFor(
      "a failed attempt of the export job",
      async () => ((await queue("requests").getJob(jobId))?.attemptsMade ?? 0) > 0,
    );
    await proxyUp(proxyPort);
    await waitFor(
      "the export completed",
      async () => (await db().dataRequest.findUniqueOrThrow({ where: { id: request.id } })).status === "COMPLETED",
    );
    const done = await db().dataRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(done.status).toBe("COMPLETED");
    expect(done.exportPath).toBeTruthy();
  });

  // Attack: an outage used to lose every frame analysed during it, because the first failed attempt
  // deleted the frame key and the retry found nothing ("expired"): counts silently went missing.
  it("loses no frame: every frame sent during the outage is counted exactly once after it", async () => {
    const store = await makeStore({ recognitionEnabled: false });
    const camera = await registerCamera({ storeSlug: store.slug, name: "Door", actor: { id: null, role: "SYSTEM" } });
    await startWorkerBehindProxy();
    if (proxy?.listening) await proxyDown();
    const photos = ["dlib_2007_007763.jpg", "dlib_2008_001009.jpg", "dlib_2008_002079.jpg"];
    const frameQueue = queue("frames");
    const jobIds: string[] = [];
    let ts = Math.floor(Date.now() / 1000);
    for (const f of photos) {
      const body = await sharp(readFileSync(path.join(faces, "detection", f)))
        .jpeg({ quality: 90 })
        .toBuffer();
      const frameId = await sendFrame(camera, body, { timestamp: ts++ });
      jobIds.push(`frame.analyze-${frameId}`);
    }
    // Every frame has failed at least once while the database was away, and its frame is still there.
    await waitFor("first failed attempts", async () =>
      (await Promise.all(jobIds.map(async (id) => (await frameQueue.getJob(id))?.attemptsMade ?? 0))).every(
        (n) => n > 0,
      ),
    );
    const r = await ready(redis("producer"));
    expect(await r.exists(...jobIds.map((id) => key("frame", id.slice("frame.analyze-".length))))).toBe(jobIds.length);
    await proxyUp(proxyPort);
    await waitFor("all frame jobs completed", async () =>
      (await Promise.all(jobIds.map(async (id) => (await frameQueue.getJob(id))?.finishedOn))).every(Boolean),
    );
    const finished = await Promise.all(jobIds.map(async (id) => (await frameQueue.getJob(id))!));
    for (const job of finished)
      expect({ id: job.id, state: await job.getState(), status: job.returnvalue?.status }).toEqual({
        id: job.id,
        state: "completed",
        status: "analyzed",
      });
    const facesSeen = finished.reduce((a, j) => a + (j.returnvalue.faces as number), 0);
    expect(facesSeen).toBeGreaterThan(0);
    const buckets = await db().footfallBucket.findMany({ where: { cameraId: camera.cameraId } });
    expect(buckets.reduce((a, b) => a + b.frames, 0)).toBe(photos.length);
    expect(buckets.reduce((a, b) => a + b.faces, 0)).toBe(facesSeen);
    expect(await r.exists(...jobIds.map((id) => key("frame", id.slice("frame.analyze-".length))))).toBe(0);
  });
});
