import { db } from "../db.ts";
import { appendAudit } from "../audit/append-audit.ts";
import type { Actor } from "./actor.ts";

/**
 * For an administrator who lost their authenticator and every recovery code: their authenticator,
 * recovery codes and passed sessions are removed and every session of theirs ends, in one
 * transaction with the audit record. Their next sign-in (password) enrols a new authenticator.
 * Returns false when the account has no authenticator.
 */
export async function resetSecondFactor(options: { userId: string; actor: Actor }): Promise<boolean> {
  const { userId, actor } = options;
  return db().$transaction(async (tx) => {
    const removed = await tx.staffTotp.deleteMany({ where: { userId } });
    if (removed.count === 0) return false;
    await tx.staffRecoveryCode.deleteMany({ where: { userId } });
    await tx.staffSecondFactor.deleteMany({ where: { userId } });
    await tx.user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
    await appendAudit(tx, {
      actorId: actor.id,
      actorRole: actor.role,
      action: "staff.totp_reset",
      targetType: "user",
      targetId: userId,
    });
    return true;
  });
}
