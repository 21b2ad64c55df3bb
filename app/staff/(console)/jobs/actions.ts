"use server";

import { z } from "zod";
import { QUEUES, type QueueName } from "@/lib/jobs/contract.ts";
import { retryFailedJobs } from "@/lib/jobs/retry-failed-jobs.ts";
import { formAction } from "../../../_lib/form-action.ts";

export const retryAction = formAction({
  name: "staff.jobs-retry",
  role: "SUPPORT",
  input: z.object({
    queue: z.enum(Object.values(QUEUES) as [QueueName, ...QueueName[]]),
    job: z.string().min(1).max(200).optional(),
  }),
  saved: (_i, n) => String(n),
  signIn: () => "/staff/signin",
  back: (_i, result) => `/staff/jobs?${result}`,
  run: (i, u) => retryFailedJobs({ queue: i.queue, jobId: i.job, actor: { id: u.id, role: u.role } }),
});
