// Fault: PostgreSQL is unreachable for a while. A worker whose database link goes through a proxy
// the test can cut fails its job attempts, retries with backoff, and completes once the database
// is back. The shared PostgreSQL itself is never touched.
import { spawn, type ChildProcess } from "node:child_process";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "../../lib/db.ts";
import { closeRedis } from "../../lib/redis.ts";
import { makeStore, makeUser } from "../../lib/testing/fixtures.ts";
import { submitRequest } from "../../lib/requests/submit-request.ts";
import { closeQueues, queue } from "../jobs/queues.ts";

const target = new URL(process.env.DATABASE_URL!);
let proxy: Server | undefined;
const sockets = new Set<Socket>();
let proxyPort = 0;
let worker: ChildProcess | undefined;

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
  if (worker) {
    try {
      process.kill(-worker.pid!, "SIGTERM");
    } catch {}
  }
  if (proxy?.listening) await proxyDown();
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

describe("fault: PostgreSQL unreachable for a while", () => {
  it("jobs retry with backoff and complete when it returns", async () => {
    proxyPort = await proxyUp();
    const viaProxy = new URL(process.env.DATABASE_URL!);
    viaProxy.host = `127.0.0.1:${proxyPort}`;
    worker = spawn("npx", ["tsx", "workers/main.ts"], { env: { ...process.env, DATABASE_URL: viaProxy.toString(), LOG_LEVEL: "error" }, stdio: ["ignore", "ignore", "inherit"], detached: true });
    const store = await makeStore();
    const user = await makeUser();
    await new Promise((r) => setTimeout(r, 4000)); // worker connected and idle
    await proxyDown();
    const request = await submitRequest({ userId: user.id, storeSlug: store.slug, kind: "ACCESS" });
    const job = (await queue("requests").getJob(`request.export-${request.id}`))!;
    for (let i = 0; i < 200 && job.attemptsMade === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      Object.assign(job, await queue("requests").getJob(job.id!));
    }
    expect(job.attemptsMade, `job state ${await job.getState()}`).toBeGreaterThan(0); // it failed at least once while the database was away
    await proxyUp(proxyPort);
    let done = await db().dataRequest.findUniqueOrThrow({ where: { id: request.id } });
    for (let i = 0; i < 120 && done.status !== "COMPLETED"; i++) {
      await new Promise((r) => setTimeout(r, 250));
      done = await db().dataRequest.findUniqueOrThrow({ where: { id: request.id } });
    }
    expect(done.status).toBe("COMPLETED");
    expect(done.exportPath).toBeTruthy();
  });
});
