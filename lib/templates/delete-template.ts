import type { Tx } from "../db.ts";
import { db } from "../db.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { publishGalleryChanged } from "../gallery/publish-gallery-changed.ts";

/** Deletes the shopper's template inside a transaction (used by revocation and erasure too). */
export async function deleteTemplateTx(tx: Tx, userId: string, actor: { id: string | null; role: string }, reason: string): Promise<boolean> {
  const res = await tx.faceTemplate.deleteMany({ where: { userId } });
  if (res.count) {
    await appendAudit(tx, { actorId: actor.id, actorRole: actor.role, action: "template.delete", targetType: "User", targetId: userId, details: { reason } });
  }
  return res.count > 0;
}

/** The shopper deletes their selfie template: every worker drops it from its galleries. */
export async function deleteTemplate(userId: string): Promise<{ deleted: boolean }> {
  const deleted = await db().$transaction((tx) => deleteTemplateTx(tx, userId, { id: userId, role: "SHOPPER" }, "shopper"));
  await publishGalleryChanged({ storeId: null, userId, reason: "template" });
  return { deleted };
}
