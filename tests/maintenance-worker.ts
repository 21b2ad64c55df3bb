import { QueueEvents } from "bullmq";
import { bullPrefix, queue } from "../lib/jobs/queues.ts";
import { createRedis } from "../lib/redis.ts";
import { startWorkers } from "../workers/main.ts";
import type { VisionPort } from "../workers/frames/vision-port.ts";
import { until } from "./until.ts";

// A vision port for tests that run no frame job: any use of it fails loudly.
export const noVision = new Proxy(
  { modelVersion: "none", newMatcher: () => ({ size: 0, add() {}, match: () => ({}) }) },
  {
    get: (t, k) =>
      k in t ? t[k as keyof typeof t] : () => Promise.reject(new Error("vision not loaded in this test")),
  },
) as unknown as VisionPort;

export type MaintenanceWorker = { events: QueueEvents; stop: () => Promise<void> };

/**
 * An in-process worker on the maintenance queue only, with its QueueEvents. The schedulers run
 * once at start-up: this waits for those runs, so a job the test then enqueues is its own.
 */
export async function startMaintenanceWorker(): Promise<MaintenanceWorker> {
  const events = new QueueEvents("maintenance", { connection: createRedis("worker"), prefix: bullPrefix() });
  await events.waitUntilReady();
  const stopWorkers = await startWorkers({ queues: ["maintenance"], vision: noVision });
  const m = queue("maintenance");
  await until(
    "the schedulers' start-up runs to finish",
    async () => (await m.getWaitingCount()) + (await m.getActiveCount()) === 0,
    30_000,
  );
  return {
    events,
    stop: async () => {
      await stopWorkers();
      await events.close();
    },
  };
}
