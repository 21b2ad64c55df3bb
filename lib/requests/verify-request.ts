import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { lockRequestForStaff, type StaffActor } from "./staff-request.ts";

export const VERIFICATION_METHODS = ["session", "id-document", "phone-callback", "signed-letter"] as const;

/** Records how the requester's identity was checked (needed before approval of phone or letter requests). */
export async function verifyRequest(opts: { requestId: string; method: string; actor: StaffActor }) {
  if (!(VERIFICATION_METHODS as readonly string[]).includes(opts.method))
    throw new AppError("invalid_input", "unknown verification method");
  return db().$transaction(async (tx) => {
    const r = await lockRequestForStaff(tx, opts.requestId, opts.actor);
    const updated = await tx.dataRequest.update({
      where: { id: r.id },
      data: {
        verificationMethod: opts.method,
        verifiedAt: new Date(),
        verifiedById: opts.actor.id,
        status: r.status === "AWAITING_VERIFICATION" ? "SUBMITTED" : r.status,
      },
    });
    await appendAudit(tx, {
      actorId: opts.actor.id,
      actorRole: opts.actor.role,
      action: "request.verify",
      targetType: "DataRequest",
      targetId: r.id,
      storeId: r.storeId,
      details: { method: opts.method },
    });
    return updated;
  });
}
