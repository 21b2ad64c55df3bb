import { queue } from "../lib/jobs/queues.ts";
import { until } from "./until.ts";

type FrameJob = NonNullable<Awaited<ReturnType<ReturnType<typeof queue>["getJob"]>>>;

/** Waits until the frame job of every id has finished (completed or failed), and returns the jobs
 *  in the order of `frameIds`, so a test can assert each one's result and the worker that ran it. */
export function untilFrameJobsFinish(frameIds: string[], timeoutMs: number): Promise<FrameJob[]> {
  const q = queue("frames");
  return until(
    "every frame job to finish",
    async () => {
      const all = await Promise.all(frameIds.map((id) => q.getJob(`frame.analyze-${id}`)));
      return all.every((j) => j?.finishedOn) ? all.map((j) => j!) : undefined;
    },
    timeoutMs,
    200,
  );
}
