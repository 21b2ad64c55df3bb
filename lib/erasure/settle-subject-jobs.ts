import type { Job } from "bullmq";
import { jobs } from "../jobs/contract.ts";
import { queue } from "../jobs/queues.ts";

const WAITING = new Set(["waiting", "delayed", "prioritized", "waiting-children", "paused"]);

export type Settled = { cancelled: number; awaited: number };

/**
 * Before erasure deletes anything: the subject's export and enrolment jobs that have not started
 * are cancelled (removed), and those a worker is running are waited for, so none of them writes
 * after the deletions. A job still running after `timeoutMs` fails the erasure, which is retried.
 * `onWaiting` reports which job is awaited (erasure records it on the request for staff).
 */
export async function settleSubjectJobs(opts: {
  exportRequestIds: string[];
  enrolmentIds: string[];
  timeoutMs: number;
  onWaiting?: (jobId: string) => Promise<void>;
}): Promise<Settled> {
  const wanted: { q: ReturnType<typeof queue>; id: string }[] = [
    ...opts.exportRequestIds.map((requestId) => ({
      q: queue(jobs["request.export"].queue),
      id: jobs["request.export"].jobId!({ requestId }),
    })),
    ...opts.enrolmentIds.map((enrolmentId) => ({
      q: queue(jobs["enrol.kiosk"].queue),
      id: jobs["enrol.kiosk"].jobId!({ enrolmentId }),
    })),
  ];
  const settled: Settled = { cancelled: 0, awaited: 0 };
  for (const { q, id } of wanted) {
    const deadline = Date.now() + opts.timeoutMs;
    let reported = false;
    for (;;) {
      const job: Job | undefined = await q.getJob(id);
      if (!job) break;
      const state = await job.getState();
      if (WAITING.has(state)) {
        // Removal fails if a worker took the job in between: look again.
        if (
          await job.remove().then(
            () => true,
            () => false,
          )
        ) {
          settled.cancelled++;
          break;
        }
        continue;
      }
      if (state !== "active") break; // completed or failed: it writes nothing more
      if (!reported) {
        reported = true;
        settled.awaited++;
        await opts.onWaiting?.(id);
      }
      if (Date.now() > deadline)
        throw new Error(`erasure waits for job ${id}, still running after ${opts.timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return settled;
}
