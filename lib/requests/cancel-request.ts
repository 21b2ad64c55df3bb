import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { isCancellable } from "./request-status.ts";

/** The shopper withdraws a request that has not started (for erasure: during cooling-off or before approval). */
export async function cancelRequest(opts: { userId: string; requestId: string }) {
  return db().$transaction(async (tx) => {
    const r = await tx.dataRequest.findUnique({ where: { id: opts.requestId } });
    // Another shopper's request is "not found", never "forbidden".
    if (!r || r.userId !== opts.userId) throw new AppError("not_found", "request not found");
    if (!isCancellable(r.status)) throw new AppError("conflict", `a ${r.status} request cannot be cancelled`);
    const updated = await tx.dataRequest.update({
      where: { id: r.id },
      data: { status: "CANCELLED", completedAt: new Date() },
    });
    await appendAudit(tx, {
      actorId: null,
      actorRole: "SHOPPER",
      action: "request.cancel",
      targetType: "DataRequest",
      targetId: r.id,
      storeId: r.storeId,
      details: {},
    });
    return updated;
  });
}
