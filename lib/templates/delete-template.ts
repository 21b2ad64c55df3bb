import type { Tx } from "../db.ts";
import { db } from "../db.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { pseudonymOf } from "../subjects/pseudonym.ts";
import { publishGalleryChanged } from "../gallery/publish-gallery-changed.ts";

/** Deletes the shopper's template inside a transaction (used by revocation and erasure too). */
export async function deleteTemplateTx(
  tx: Tx,
  userId: string,
  actor: { id: string | null; role: string },
  reason: string,
): Promise<boolean> {
  const res = await tx.faceTemplate.deleteMany({ where: { userId } });
  if (res.count) {
    const subject = await pseudonymOf(tx, userId);
    await appendAudit(tx, {
      subject,
      actorId: actor.id,
      actorRole: actor.role,
      action: "template.delete",
      targetType: "Subject",
      targetId: subject,
      details: { reason },
    });
  }
  return res.count > 0;
}

/** The shopper deletes their face template: every worker drops it from its galleries. */
export async function deleteTemplate(userId: string): Promise<{ deleted: boolean }> {
  const deleted = await db().$transaction((tx) =>
    deleteTemplateTx(tx, userId, { id: null, role: "SHOPPER" }, "shopper"),
  );
  await publishGalleryChanged({ storeId: null, userId, reason: "template" });
  return { deleted };
}
