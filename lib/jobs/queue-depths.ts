import { QUEUES, type QueueName } from "./contract.ts";
import { queue } from "./queues.ts";

/** Job counts per queue and state, for /api/metrics, /api/health and the admin queue view. */
export async function queueDepths(): Promise<Record<QueueName, Record<string, number>>> {
  const out = {} as Record<QueueName, Record<string, number>>;
  for (const name of Object.values(QUEUES) as QueueName[]) {
    out[name] = await queue(name).getJobCounts("waiting", "active", "delayed", "failed", "completed");
  }
  return out;
}
