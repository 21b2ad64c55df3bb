import { Queue, type JobsOptions } from "bullmq";
import { env } from "../env.ts";
import { createRedis, type RedisClient } from "../redis.ts";
import { logError } from "../log/log-error.ts";
import { jobs, parsePayload, type JobName, type JobPayload, type QueueName } from "./contract.ts";

// Producer side, used by the app and by the scheduler. Producer connections fail fast
// (maxRetriesPerRequest: 1) so an HTTP request never hangs on a Redis outage.
const globalForQueues = globalThis as unknown as {
  veilQueues?: Map<QueueName, Queue>;
  veilQueueConnections?: Map<QueueName, RedisClient>;
};

export function bullPrefix(): string {
  return `${env().REDIS_PREFIX}:bull`;
}

export function queue(name: QueueName): Queue {
  globalForQueues.veilQueues ??= new Map();
  let q = globalForQueues.veilQueues.get(name);
  if (!q) {
    const connection = createRedis("producer");
    q = new Queue(name, { connection, prefix: bullPrefix() });
    (globalForQueues.veilQueueConnections ??= new Map()).set(name, connection);
    q.on("error", (e) => logError(`queue.${name}`, e));
    globalForQueues.veilQueues.set(name, q);
  }
  return q;
}

/** The connection a queue's producer writes through (to wait for its writes to replicate). */
export function queueConnection(name: QueueName): RedisClient {
  queue(name);
  return globalForQueues.veilQueueConnections!.get(name)!;
}

// Finished jobs are kept for the queue view and for debugging (payloads hold ids only); older ones
// are trimmed by BullMQ.
const KEEP = { removeOnComplete: 1000, removeOnFail: 5000 } as const;

/** Options of a job as the contract declares them. */
export function jobOptions<N extends JobName>(name: N, payload: JobPayload<N>): JobsOptions {
  const s = jobs[name] as { attempts: number; backoff?: JobsOptions["backoff"]; jobId?: (p: JobPayload<N>) => string };
  return {
    ...KEEP,
    attempts: s.attempts,
    ...(s.backoff ? { backoff: s.backoff } : {}),
    ...(s.jobId ? { jobId: s.jobId(payload) } : {}),
  };
}

/** Validates the payload against the contract, then enqueues it on the job's queue with the job's policy. */
export async function enqueue<N extends JobName>(name: N, payload: JobPayload<N>) {
  const data = parsePayload(name, payload);
  return queue(jobs[name].queue).add(name, data, jobOptions(name, data));
}

/** Declares every scheduled job of the contract; upserted, so every worker process may call it. */
export async function upsertSchedules(): Promise<void> {
  for (const [name, s] of Object.entries(jobs) as [JobName, { queue: QueueName; every?: number }][]) {
    if (s.every) await queue(s.queue).upsertJobScheduler(name, { every: s.every }, { name, data: {} });
  }
}

export async function closeQueues(): Promise<void> {
  const all = [...(globalForQueues.veilQueues?.values() ?? [])];
  globalForQueues.veilQueues = undefined;
  globalForQueues.veilQueueConnections = undefined;
  await Promise.all(all.map((q) => q.close()));
}
