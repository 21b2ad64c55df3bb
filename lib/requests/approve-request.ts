import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { lockRequestForStaff, type StaffActor } from "./staff-request.ts";
import { queueRequestJob } from "./queue-request-job.ts";
import { isApprovable } from "./request-status.ts";

/** Support approves a verified request: erasure (or a staff-taken access request) is queued. */
export async function approveRequest(opts: { requestId: string; actor: StaffActor; now?: Date }) {
  const now = opts.now ?? new Date();
  const r = await db().$transaction(async (tx) => {
    const r = await lockRequestForStaff(tx, opts.requestId, opts.actor);
    if (r.status === "COOLING_OFF" && r.coolingOffUntil && r.coolingOffUntil > now)
      throw new AppError("conflict", "the shopper's cooling-off window has not ended");
    if (!isApprovable(r.status)) throw new AppError("conflict", `a ${r.status} request cannot be approved`);
    if (!r.verifiedAt) throw new AppError("conflict", "verify the requester's identity first");
    await tx.dataRequest.update({
      where: { id: r.id },
      data: { status: "APPROVED", failureReason: null, assigneeId: r.assigneeId ?? opts.actor.id },
    });
    await appendAudit(tx, {
      actorId: opts.actor.id,
      actorRole: opts.actor.role,
      action: "request.approve",
      targetType: "DataRequest",
      targetId: r.id,
      storeId: r.storeId,
      details: { kind: r.kind },
    });
    return r;
  });
  await queueRequestJob(r.id, r.kind === "ERASURE" ? "request.erase" : "request.export");
  return { requestId: r.id };
}
