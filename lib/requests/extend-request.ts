import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { maxExtendedDue } from "./due-date.ts";
import { lockRequestForStaff, requireReason, type StaffActor } from "./staff-request.ts";
import { isFinished } from "./request-status.ts";
import { endOfStoreDay } from "../stores/store-zone.ts";

/** Extends the deadline with a reason, before the original one passes and within the legal maximum. */
export async function extendRequest(opts: {
  requestId: string;
  /** An instant, or a day (YYYY-MM-DD) picked in the console: the end of that day on the store's clock. */
  until: Date | string;
  reason: string;
  actor: StaffActor;
  now?: Date;
}) {
  const reason = requireReason(opts.reason);
  const now = opts.now ?? new Date();
  return db().$transaction(async (tx) => {
    const r = await lockRequestForStaff(tx, opts.requestId, opts.actor);
    if (isFinished(r.status)) throw new AppError("conflict", `a ${r.status} request cannot be extended`);
    const until = typeof opts.until === "string" ? endOfStoreDay(opts.until, r.store.timezone) : opts.until;
    if (now > r.dueAt) throw new AppError("conflict", "the extension must be given before the original deadline");
    const max = maxExtendedDue(r.store.jurisdiction, r.dueAt);
    if (!(until > r.dueAt) || until > max)
      throw new AppError(
        "invalid_input",
        `the new deadline must be after ${r.dueAt.toISOString().slice(0, 10)} and no later than ${max.toISOString().slice(0, 10)}`,
      );
    const updated = await tx.dataRequest.update({
      where: { id: r.id },
      data: { extendedDueAt: until, extensionReason: reason },
    });
    await appendAudit(tx, {
      actorId: opts.actor.id,
      actorRole: opts.actor.role,
      action: "request.extend",
      targetType: "DataRequest",
      targetId: r.id,
      storeId: r.storeId,
      details: { until: until.toISOString(), reason },
    });
    return updated;
  });
}
