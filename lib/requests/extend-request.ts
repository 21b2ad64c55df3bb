import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { maxExtendedDue } from "./due-date.ts";
import { lockRequestForStaff, requireReason, type StaffActor } from "./staff-request.ts";
import { isFinished } from "./request-status.ts";

/** Extends the deadline with a reason, before the original one passes and within the legal maximum. */
export async function extendRequest(opts: {
  requestId: string;
  until: Date;
  reason: string;
  actor: StaffActor;
  now?: Date;
}) {
  const reason = requireReason(opts.reason);
  const now = opts.now ?? new Date();
  return db().$transaction(async (tx) => {
    const r = await lockRequestForStaff(tx, opts.requestId, opts.actor);
    if (isFinished(r.status)) throw new AppError("conflict", `a ${r.status} request cannot be extended`);
    if (now > r.dueAt) throw new AppError("conflict", "the extension must be given before the original deadline");
    const max = maxExtendedDue(r.store.jurisdiction, r.dueAt);
    if (!(opts.until > r.dueAt) || opts.until > max)
      throw new AppError(
        "invalid_input",
        `the new deadline must be after ${r.dueAt.toISOString().slice(0, 10)} and no later than ${max.toISOString().slice(0, 10)}`,
      );
    const updated = await tx.dataRequest.update({
      where: { id: r.id },
      data: { extendedDueAt: opts.until, extensionReason: reason },
    });
    await appendAudit(tx, {
      actorId: opts.actor.id,
      actorRole: opts.actor.role,
      action: "request.extend",
      targetType: "DataRequest",
      targetId: r.id,
      storeId: r.storeId,
      details: { until: opts.until.toISOString(), reason },
    });
    return updated;
  });
}
