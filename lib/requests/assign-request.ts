import { db } from "../db.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { lockRequestForStaff, type StaffActor } from "./staff-request.ts";

/** Assigns a request to a staff member (the actor, by default) and/or adds a note, audited. */
export async function assignRequest(opts: {
  requestId: string;
  assigneeId?: string;
  note?: string;
  actor: StaffActor;
}) {
  return db().$transaction(async (tx) => {
    const r = await lockRequestForStaff(tx, opts.requestId, opts.actor);
    if (opts.assigneeId !== undefined)
      await tx.dataRequest.update({ where: { id: r.id }, data: { assigneeId: opts.assigneeId } });
    const note = opts.note?.trim().slice(0, 2000);
    await appendAudit(tx, {
      actorId: opts.actor.id,
      actorRole: opts.actor.role,
      action: note ? "request.note" : "request.assign",
      targetType: "DataRequest",
      targetId: r.id,
      storeId: r.storeId,
      details: note ? { note } : { assigneeId: opts.assigneeId ?? null },
    });
  });
}
