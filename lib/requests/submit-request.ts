import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { dueDate } from "./due-date.ts";
import { rateLimit } from "../rate-limit.ts";
import { OPEN_STATUSES } from "./request-status.ts";
import { queueRequestJob } from "./queue-request-job.ts";

export type RequestKind = "ACCESS" | "ERASURE";

// Per shopper, and per client address (lib/http/client-ip.ts) so that many accounts from one
// address cannot multiply the first limit; each a window of an hour from the first request.
export const DATA_REQUESTS_PER_SHOPPER_PER_HOUR = 10;
export const DATA_REQUESTS_PER_ADDRESS_PER_HOUR = 60;

/**
 * A signed-in shopper asks for a copy of their data or for erasure at a store. The session is the
 * identity check. Access runs at once (export job); erasure waits for the store's cooling-off
 * window, if any, and then for support staff to approve it.
 */
export async function submitRequest(opts: {
  userId: string;
  storeSlug: string;
  kind: RequestKind;
  clientIp?: string;
  now?: Date;
}) {
  const now = opts.now ?? new Date();
  await rateLimit("data-request", opts.userId, DATA_REQUESTS_PER_SHOPPER_PER_HOUR, 3600);
  if (opts.clientIp) await rateLimit("data-request-ip", opts.clientIp, DATA_REQUESTS_PER_ADDRESS_PER_HOUR, 3600);
  const request = await db().$transaction(async (tx) => {
    const store = await tx.store.findUnique({ where: { slug: opts.storeSlug } });
    if (!store) throw new AppError("unknown_store", `store ${opts.storeSlug} not found`);
    const open = await tx.dataRequest.findFirst({
      where: { userId: opts.userId, storeId: store.id, kind: opts.kind, status: { in: [...OPEN_STATUSES] } },
    });
    if (open) throw new AppError("conflict", "a request of this kind is already open", { requestId: open.id });
    const coolingOff =
      opts.kind === "ERASURE" && store.coolingOffHours > 0
        ? new Date(now.getTime() + store.coolingOffHours * 3_600_000)
        : null;
    const r = await tx.dataRequest.create({
      data: {
        userId: opts.userId,
        storeId: store.id,
        kind: opts.kind,
        status: opts.kind === "ACCESS" ? "APPROVED" : coolingOff ? "COOLING_OFF" : "SUBMITTED",
        receivedAt: now,
        dueAt: dueDate(store.jurisdiction, now, store.requestDueDays),
        verificationMethod: "session",
        verifiedAt: now,
        coolingOffUntil: coolingOff,
      },
    });
    await appendAudit(tx, {
      actorId: null,
      actorRole: "SHOPPER",
      action: `request.submit`,
      targetType: "DataRequest",
      targetId: r.id,
      storeId: store.id,
      details: { kind: opts.kind, dueAt: r.dueAt.toISOString() },
    });
    return r;
  });
  if (request.kind === "ACCESS") await queueRequestJob(request.id, "request.export");
  return request;
}
