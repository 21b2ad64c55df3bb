import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { isInForce } from "../consent/projection.ts";
import { materialVersionOf } from "../notices/load-store-notice.ts";
import { publishGalleryChanged } from "../gallery/publish-gallery-changed.ts";
import { verifyPresenceToken } from "./presence-token.ts";

/**
 * "I'm here": the shopper's template joins this store's live gallery for the store's window
 * (presence-gated recognition). Needs a presence token of the current or previous window from this
 * store's entrance display (invariant 10; checked before anything is read or written) and
 * recognition consent in force; replaces an open check-in.
 */
export async function checkIn(opts: { userId: string; storeSlug: string; token: string; now?: Date }) {
  const now = opts.now ?? new Date();
  const checkInRow = await db().$transaction(async (tx) => {
    const store = await tx.store.findUnique({ where: { slug: opts.storeSlug } });
    if (!store) throw new AppError("unknown_store", `store ${opts.storeSlug} not found`);
    verifyPresenceToken(opts.token, store.id, now);
    const consent = await tx.consentState.findUnique({
      where: { userId_storeId_purposeCode: { userId: opts.userId, storeId: store.id, purposeCode: "recognition" } },
    });
    if (!isInForce(consent, await materialVersionOf(tx, store.id))) {
      throw new AppError("dependency_not_granted", "check-in needs recognition consent");
    }
    await tx.checkIn.updateMany({
      where: { userId: opts.userId, storeId: store.id, endedAt: null },
      data: { endedAt: now },
    });
    const row = await tx.checkIn.create({
      data: {
        userId: opts.userId,
        storeId: store.id,
        startedAt: now,
        expiresAt: new Date(now.getTime() + store.checkInWindowMinutes * 60_000),
      },
    });
    await appendAudit(tx, {
      subjectOf: opts.userId,
      actorId: null,
      actorRole: "SHOPPER",
      action: "presence.check_in",
      targetType: "CheckIn",
      targetId: row.id,
      storeId: store.id,
      details: { minutes: store.checkInWindowMinutes },
    });
    return row;
  });
  await publishGalleryChanged({ storeId: checkInRow.storeId, userId: opts.userId, reason: "check-in" });
  return checkInRow;
}
