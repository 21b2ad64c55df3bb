import { afterAll, describe, expect, it } from "vitest";
import { QueueEvents } from "bullmq";
import { db, disconnectDb } from "../../lib/db.ts";
import { createRedis } from "../../lib/redis.ts";
import { startWorkers } from "../main.ts";
import { bullPrefix, enqueue } from "./queues.ts";
import type { VisionPort } from "../frames/vision-port.ts";

const noVision = new Proxy({ modelVersion: "none", newMatcher: () => ({ size: 0, add() {}, match: () => ({}) }) }, {
  get: (t, k) => (k in t ? t[k as keyof typeof t] : () => Promise.reject(new Error("vision not loaded in this test"))),
}) as unknown as VisionPort;

afterAll(async () => {
  await disconnectDb();
});

describe("retention.sweep through BullMQ on real Redis", () => {
  it("deletes expired sign-in tokens and keeps valid ones", async () => {
    const id = `sweep-${Date.now()}@test.invalid`;
    await db().verificationToken.createMany({
      data: [
        { identifier: id, token: `expired-${id}`, expires: new Date(Date.now() - 60_000) },
        { identifier: id, token: `valid-${id}`, expires: new Date(Date.now() + 3_600_000) },
      ],
    });
    // Only the maintenance queue: this test is about the queue wiring, not the vision models.
    const stop = await startWorkers({ queues: ["maintenance"], vision: noVision });
    const events = new QueueEvents("maintenance", { connection: createRedis("worker"), prefix: bullPrefix() });
    try {
      await events.waitUntilReady();
      const job = await enqueue("retention.sweep", {});
      // The scheduler also runs a sweep at start-up, so either run may be the one that deleted it.
      const result = (await job.waitUntilFinished(events, 10_000)) as { verificationTokens: number };
      expect(result).toHaveProperty("verificationTokens");
      const left = await db().verificationToken.findMany({ where: { identifier: id } });
      expect(left.map((t) => t.token)).toEqual([`valid-${id}`]);
    } finally {
      await events.close();
      await stop();
    }
  });

  it("refuses a payload that breaks the contract before it reaches Redis", async () => {
    await expect(enqueue("retention.sweep", { userEmail: "x" } as never)).rejects.toThrow();
  });
});
