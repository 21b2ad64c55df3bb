import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { publishGalleryChanged } from "../gallery/publish-gallery-changed.ts";

/** Ends the shopper's open check-in at a store: they leave its live gallery at once. */
export async function checkOut(opts: { userId: string; storeSlug: string; now?: Date }) {
  const now = opts.now ?? new Date();
  const store = await db().store.findUnique({ where: { slug: opts.storeSlug }, select: { id: true } });
  if (!store) throw new AppError("unknown_store", `store ${opts.storeSlug} not found`);
  const ended = await db().$transaction(async (tx) => {
    const res = await tx.checkIn.updateMany({
      where: { userId: opts.userId, storeId: store.id, endedAt: null },
      data: { endedAt: now },
    });
    if (res.count) {
      await appendAudit(tx, {
        subjectOf: opts.userId,
        actorId: null,
        actorRole: "SHOPPER",
        action: "presence.check_out",
        targetType: "Store",
        targetId: store.id,
        storeId: store.id,
        details: {},
      });
    }
    return res.count;
  });
  await publishGalleryChanged({ storeId: store.id, userId: opts.userId, reason: "check-out" });
  return { ended };
}
