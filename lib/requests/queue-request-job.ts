import { db } from "../db.ts";
import { enqueue } from "../jobs/queues.ts";
import { logError } from "../log/log-error.ts";

/** Queues the job of an approved request; if Redis refuses, the request is marked FAILED, visibly. */
export async function queueRequestJob(requestId: string, name: "request.export" | "request.erase"): Promise<void> {
  try {
    await enqueue(name, { requestId });
  } catch (e) {
    logError("request.enqueue", e, { requestId });
    await db().dataRequest.update({
      where: { id: requestId },
      data: { status: "FAILED", failureReason: "could not be queued; staff can retry it" },
    });
  }
}
