import { QUEUES, type QueueName } from "./contract.ts";
import { queue } from "./queues.ts";

export type FailedJob = {
  queue: QueueName;
  id: string;
  name: string;
  error: string;
  attempts: number;
  failedAt: Date | null;
};

/** Failed jobs of every queue (payloads are ids only, so they can be shown as they are). */
export async function listFailedJobs(limit = 100): Promise<FailedJob[]> {
  const out: FailedJob[] = [];
  for (const name of Object.values(QUEUES) as QueueName[]) {
    for (const j of await queue(name).getFailed(0, limit - 1)) {
      out.push({
        queue: name,
        id: j.id ?? "",
        name: j.name,
        error: j.failedReason ?? "",
        attempts: j.attemptsMade,
        failedAt: j.finishedOn ? new Date(j.finishedOn) : null,
      });
    }
  }
  return out.sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0));
}

/** Retries one failed job, or every failed job of a queue when no id is given. */
export async function retryFailed(queueName: QueueName, jobId?: string): Promise<number> {
  const q = queue(queueName);
  if (jobId) {
    const job = await q.getJob(jobId);
    if (!job || !(await job.isFailed())) return 0;
    await job.retry("failed");
    return 1;
  }
  const n = await q.getFailedCount();
  await q.retryJobs({ state: "failed" });
  return n;
}
