// Fault: Redis goes away and comes back. Ingest answers 503 quickly (never hangs) while it is down,
// and both the producer side and the workers reconnect and carry on when it returns. Uses a
// redis-server of its own on a free port, never the shared one.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";

const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, "127.0.0.1", () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});
process.env.REDIS_URL = `redis://127.0.0.1:${port}`;

const { afterAll, describe, expect, it } = await import("vitest");
const { disconnectDb } = await import("../../lib/db.ts");
const { closeRedis } = await import("../../lib/redis.ts");
const { isAppError } = await import("../../lib/errors/app-error.ts");
const { makeStore } = await import("../../tests/fixtures.ts");
const { registerCamera } = await import("../../lib/cameras/register-camera.ts");
const { sendFrame } = await import("../../tests/send-frame.ts");
const { closeQueues, queue } = await import("../../lib/jobs/queues.ts");
const { startWorkers } = await import("../main.ts");
const { until } = await import("../../tests/until.ts");

const dir = mkdtempSync(path.join(tmpdir(), "veil-redis-"));
let server: ChildProcess | undefined;

async function startRedis() {
  server = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: "ignore" },
  );
  await until(
    "redis-server to accept connections",
    () =>
      new Promise<boolean>((r) => {
        const s = connect(port, "127.0.0.1");
        s.once("connect", () => (s.destroy(), r(true)));
        s.once("error", () => r(false));
      }),
    10_000,
    100,
  );
}
async function stopRedis() {
  const s = server!;
  s.kill("SIGTERM");
  await new Promise((r) => s.once("exit", r));
}

// Closed here too, before this file's own Redis server stops (the shared teardown in
// tests/setup/close-connections.ts runs after, with nothing left to close).
afterAll(async () => {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  if (server && server.exitCode === null) await stopRedis();
});

describe("fault: Redis restarts", () => {
  it("ingest gives 503 fast while Redis is down; producers and workers resume when it returns", async () => {
    await startRedis();
    const store = await makeStore();
    const camera = await registerCamera({ storeSlug: store.slug, name: "door", actor: { id: null, role: "SYSTEM" } });
    const body = await sharp({ create: { width: 320, height: 240, channels: 3, background: "#666" } })
      .jpeg()
      .toBuffer();
    let t = Math.floor(Date.now() / 1000) - 50;
    const send = () => {
      t++;
      return sendFrame(camera, body, { timestamp: t, now: t * 1000 });
    };
    const stop = await startWorkers({ queues: ["frames"] });
    try {
      await send();
      await stopRedis();
      // Fails fast rather than waiting for Redis (no offline queue): the answer comes while Redis
      // is still down. A producer that queued the command would hang here until the deadline.
      const err = await Promise.race([
        send().catch((e) => e),
        new Promise((r) =>
          setTimeout(() => r(new Error("ingest did not answer while Redis was down")), 20_000).unref(),
        ),
      ]);
      expect(isAppError(err, "unavailable"), String(err)).toBe(true);
      expect((err as { retryAfter: number }).retryAfter).toBeGreaterThan(0);

      await startRedis();
      const accepted = await until(
        "ingest to accept a frame again after Redis returned",
        () => send().catch(() => undefined),
        20_000,
        200,
      );
      // The in-process worker reconnected and processes the new frame.
      const job = await queue("frames").getJob(`frame.analyze-${accepted}`);
      await until("the worker to process the frame after the restart", () => job!.isCompleted(), 30_000, 100);
    } finally {
      await stop();
    }
  });
});
