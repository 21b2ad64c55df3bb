import { db } from "../db.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { acceptTotpCode, isTotpShaped, spendRecoveryCode } from "./totp.ts";
import { clearSecondFactorFailures, recordSecondFactorFailure, secondFactorLockedFor } from "./staff-throttle.ts";
import type { SecondFactorOutcome } from "./confirm-totp-enrolment.ts";

/**
 * An administrator's second factor for this session, after their password: a 6-digit code from
 * the authenticator (refused if its time step was already used: replay), or one of the recovery
 * codes (each works once). Success marks the session (its sid) and is audited in the same
 * transaction; a wrong code is audited and counts towards the lock (lib/auth/staff-throttle.ts).
 */
export async function verifySecondFactor(options: {
  userId: string;
  sid: string;
  code: string;
}): Promise<SecondFactorOutcome<{ recoveryCodesLeft: number | null }>> {
  const { userId, sid } = options;
  const code = options.code.trim();
  const locked = await secondFactorLockedFor(userId);
  if (locked > 0) return { ok: false, reason: "locked", retryAfter: locked };
  const result = await db().$transaction(async (tx) => {
    let recoveryCodesLeft: number | null = null;
    if (isTotpShaped(code)) {
      if ((await acceptTotpCode(tx, userId, code, { enabled: true })) === null) return null;
      await appendAudit(tx, {
        actorId: userId,
        actorRole: "ADMIN",
        action: "staff.totp_verified",
        targetType: "user",
        targetId: userId,
      });
    } else {
      const totp = await tx.staffTotp.findUnique({ where: { userId }, select: { enabledAt: true } });
      if (!totp?.enabledAt || !(await spendRecoveryCode(tx, userId, code))) return null;
      recoveryCodesLeft = await tx.staffRecoveryCode.count({ where: { userId, usedAt: null } });
      await appendAudit(tx, {
        actorId: userId,
        actorRole: "ADMIN",
        action: "staff.recovery_code_used",
        targetType: "user",
        targetId: userId,
        details: { left: recoveryCodesLeft },
      });
    }
    await tx.staffSecondFactor.upsert({ where: { sid }, create: { sid, userId }, update: {} });
    return { recoveryCodesLeft };
  });
  if (!result) {
    const lock = await recordSecondFactorFailure(userId, "verify");
    return lock ? { ok: false, reason: "locked", retryAfter: lock } : { ok: false, reason: "wrong_code" };
  }
  await clearSecondFactorFailures(userId);
  return { ok: true, value: result };
}
