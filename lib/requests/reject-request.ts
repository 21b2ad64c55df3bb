import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { lockRequestForStaff, requireReason, type StaffActor } from "./staff-request.ts";
import { isFinished } from "./request-status.ts";

/** A refusal always carries reasons, shown to the shopper with how to complain (GDPR art. 12(4)). */
export async function rejectRequest(opts: { requestId: string; reason: string; actor: StaffActor }) {
  const reason = requireReason(opts.reason);
  return db().$transaction(async (tx) => {
    const r = await lockRequestForStaff(tx, opts.requestId, opts.actor);
    if (isFinished(r.status) || r.status === "IN_PROGRESS")
      throw new AppError("conflict", `a ${r.status} request cannot be rejected`);
    const updated = await tx.dataRequest.update({
      where: { id: r.id },
      data: { status: "REJECTED", rejectionReason: reason, completedAt: new Date() },
    });
    await appendAudit(tx, {
      actorId: opts.actor.id,
      actorRole: opts.actor.role,
      action: "request.reject",
      targetType: "DataRequest",
      targetId: r.id,
      storeId: r.storeId,
      details: { reason },
    });
    return updated;
  });
}
