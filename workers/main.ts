// Worker process entry: verified models, one BullMQ Worker per queue, the gallery cache with its
// pub/sub invalidation, job schedulers, graceful shutdown.
import { Worker, type Job } from "bullmq";
import { hostname } from "node:os";
import { env } from "../lib/env.ts";
import { createRedis } from "../lib/redis.ts";
import { disconnectDb } from "../lib/db.ts";
import { logError } from "../lib/log/log-error.ts";
import { logger } from "../lib/log/logger.ts";
import { countMetric, observeMetric } from "../lib/metrics/metrics.ts";
import { QUEUES, isJobName, type QueueName } from "../lib/jobs/contract.ts";
import { assertProcessors, createProcessors, type WorkerDeps } from "./jobs/processors.ts";
import { bullPrefix, closeQueues, upsertSchedules } from "../lib/jobs/queues.ts";
import { GalleryCache } from "./frames/gallery-cache.ts";
import { createVision } from "./frames/onnx-vision.ts";

function log(msg: string, fields: Record<string, unknown> = {}): void {
  logger.info(fields, msg);
}

const CONCURRENCY: Record<QueueName, number> = { frames: 2, enrolment: 1, requests: 1, maintenance: 1 };

// Tests may pass their own vision port (to observe every match) and gallery cache (to see an
// invalidation land); a worker process uses the real ones.
export async function startWorkers(
  opts: { queues?: QueueName[]; vision?: WorkerDeps["vision"]; galleries?: GalleryCache } = {},
): Promise<() => Promise<void>> {
  env(); // stop at start-up with a message naming any missing or malformed variable
  const vision = opts.vision ?? (await createVision());
  const redis = createRedis("worker");
  const galleries = opts.galleries ?? new GalleryCache(() => vision.newMatcher());
  await galleries.start();
  const processors = createProcessors({ redis, vision, galleries });
  assertProcessors(processors);

  const dispatch = async (job: Job) => {
    if (!isJobName(job.name)) throw new Error(`no processor for job ${job.name}`);
    return processors[job.name](job);
  };
  const names = opts.queues ?? (Object.values(QUEUES) as QueueName[]);
  const workerName = `${hostname()}-${process.pid}`;
  const workers = names.map((name) => {
    // The worker's name is recorded on each job it processes (job.processedBy): which host and
    // process did the work, for operators and the scale-out test.
    const w = new Worker(name, dispatch, {
      connection: createRedis("worker"),
      prefix: bullPrefix(),
      concurrency: CONCURRENCY[name],
      name: workerName,
      lockDuration: env().WORKER_LOCK_MS,
      stalledInterval: env().WORKER_LOCK_MS,
    });
    w.on("error", (e) => logError(`worker.${name}`, e));
    w.on("failed", (job, e) => {
      logError(`job.${job?.name ?? "?"}`, e, { jobId: job?.id, attempts: job?.attemptsMade });
      void countMetric("veil_job_failures_total", { job: job?.name ?? "unknown" });
    });
    w.on("completed", (job, result: unknown) => {
      if (job.name !== "frame.analyze") return;
      const r = result as { status?: string; faces?: number; matched?: number };
      void countMetric("veil_frames_processed_total", { status: r?.status ?? "unknown" });
      if (r?.faces) void countMetric("veil_faces_counted_total", {}, r.faces);
      if (r?.matched) void countMetric("veil_matches_total", {}, r.matched);
      void observeMetric("veil_frame_latency_seconds", (Date.now() - job.timestamp) / 1000);
    });
    return w;
  });
  await upsertSchedules();
  log("workers started", { queues: names, modelVersion: vision.modelVersion, worker: workerName });

  return async () => {
    await Promise.all(workers.map((w) => w.close()));
    await galleries.stop();
    await closeQueues();
    redis.disconnect();
    await disconnectDb();
  };
}

const isMain = process.argv[1]?.endsWith("workers/main.ts");
if (isMain) {
  startWorkers()
    .then((stop) => {
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        log("workers stopping", { signal });
        // Let active jobs finish (BullMQ close waits for them), then exit.
        stop()
          .then(() => process.exit(0))
          .catch((e) => {
            logError("workers.shutdown", e);
            process.exit(1);
          });
      };
      process.on("SIGINT", () => shutdown("SIGINT"));
      process.on("SIGTERM", () => shutdown("SIGTERM"));
    })
    .catch((e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
