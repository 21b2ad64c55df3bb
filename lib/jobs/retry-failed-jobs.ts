import { db } from "../db.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { AppError } from "../errors/app-error.ts";
import { isStaffRole } from "../auth/require-staff.ts";
import { retryFailed } from "./failed-jobs.ts";
import type { QueueName } from "./contract.ts";

/** Staff retry one failed job, or every failed job of a queue; audited with the count retried. */
export async function retryFailedJobs(opts: {
  queue: QueueName;
  jobId?: string;
  actor: { id: string; role: string };
}): Promise<number> {
  if (!isStaffRole(opts.actor.role)) throw new AppError("forbidden", `role ${opts.actor.role} may not retry jobs`);
  const n = await retryFailed(opts.queue, opts.jobId);
  await db().$transaction((tx) =>
    appendAudit(tx, {
      actorId: opts.actor.id,
      actorRole: opts.actor.role,
      action: "jobs.retry",
      targetType: "Queue",
      targetId: opts.queue,
      details: { jobId: opts.jobId ?? "all", count: n },
    }),
  );
  return n;
}
