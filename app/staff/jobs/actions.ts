"use server";

import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user.ts";
import { appendAudit } from "@/lib/audit/append-audit.ts";
import { db } from "@/lib/db.ts";
import { QUEUES, type QueueName } from "@/workers/jobs/contract.ts";
import { retryFailed } from "@/workers/jobs/failed-jobs.ts";

export async function retryAction(formData: FormData): Promise<void> {
  const user = await currentUser();
  if (!user || (user.role !== "SUPPORT" && user.role !== "ADMIN")) redirect("/staff/signin");
  const q = String(formData.get("queue") ?? "");
  if (!(Object.values(QUEUES) as string[]).includes(q)) redirect("/staff/jobs?error=1");
  const id = formData.get("job") ? String(formData.get("job")) : undefined;
  const n = await retryFailed(q as QueueName, id);
  await db().$transaction((tx) => appendAudit(tx, { actorId: user.id, actorRole: user.role, action: "jobs.retry", targetType: "Queue", targetId: q, details: { jobId: id ?? "all", count: n } }));
  redirect(`/staff/jobs?retried=${n}`);
}
