import { Queue, type JobsOptions } from "bullmq";
import { env } from "../../lib/env.ts";
import { createRedis } from "../../lib/redis.ts";
import { logError } from "../../lib/log/log-error.ts";
import { jobs, parsePayload, type JobName, type JobPayload, type QueueName } from "./contract.ts";

// Producer side, used by the app and by the scheduler. Producer connections fail fast
// (maxRetriesPerRequest: 1) so an HTTP request never hangs on a Redis outage.
const globalForQueues = globalThis as unknown as { veilQueues?: Map<QueueName, Queue> };

export function bullPrefix(): string {
  return `${env().REDIS_PREFIX}:bull`;
}

export function queue(name: QueueName): Queue {
  globalForQueues.veilQueues ??= new Map();
  let q = globalForQueues.veilQueues.get(name);
  if (!q) {
    q = new Queue(name, { connection: createRedis("producer"), prefix: bullPrefix() });
    q.on("error", (e) => logError(`queue.${name}`, e));
    globalForQueues.veilQueues.set(name, q);
  }
  return q;
}

/** Validates the payload against the contract, then enqueues it on the job's queue. */
export async function enqueue<N extends JobName>(name: N, payload: JobPayload<N>, opts?: JobsOptions) {
  const data = parsePayload(name, payload);
  return queue(jobs[name].queue).add(name, data, { removeOnComplete: 1000, removeOnFail: 5000, ...opts });
}

export async function closeQueues(): Promise<void> {
  const all = [...(globalForQueues.veilQueues?.values() ?? [])];
  globalForQueues.veilQueues = undefined;
  await Promise.all(all.map((q) => q.close()));
}
