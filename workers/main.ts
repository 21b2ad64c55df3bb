// Worker process entry: one BullMQ Worker per queue, job schedulers, graceful shutdown.
import { Worker, type Job } from "bullmq";
import { env } from "../lib/env.ts";
import { createRedis } from "../lib/redis.ts";
import { disconnectDb } from "../lib/db.ts";
import { logError } from "../lib/log/log-error.ts";
import { QUEUES, isJobName, type QueueName } from "./jobs/contract.ts";
import { assertProcessors, processors } from "./jobs/processors.ts";
import { bullPrefix, closeQueues, queue } from "./jobs/queues.ts";

function log(msg: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ level: "info", at: new Date().toISOString(), msg, ...fields }));
}

async function dispatch(job: Job): Promise<unknown> {
  if (!isJobName(job.name)) throw new Error(`no processor for job ${job.name}`);
  return processors[job.name](job);
}

export async function startWorkers(): Promise<() => Promise<void>> {
  env(); // stop at start-up with a message naming any missing or malformed variable
  assertProcessors();
  const workers = (Object.values(QUEUES) as QueueName[]).map((name) => {
    const w = new Worker(name, dispatch, { connection: createRedis("worker"), prefix: bullPrefix(), concurrency: 2 });
    w.on("error", (e) => logError(`worker.${name}`, e));
    w.on("failed", (job, e) => logError(`job.${job?.name ?? "?"}`, e, { jobId: job?.id, attempts: job?.attemptsMade }));
    return w;
  });
  // Schedulers are upserted, so every worker process may declare them without duplicates.
  await queue(QUEUES.maintenance).upsertJobScheduler("retention.sweep", { every: 60 * 60 * 1000 }, { name: "retention.sweep", data: {} });
  log("workers started", { queues: Object.values(QUEUES) });

  return async () => {
    await Promise.all(workers.map((w) => w.close()));
    await closeQueues();
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
