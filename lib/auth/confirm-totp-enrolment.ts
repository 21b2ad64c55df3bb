import { db } from "../db.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { acceptTotpCode, hashRecoveryCode, newRecoveryCodes } from "./totp.ts";
import { clearSecondFactorFailures, recordSecondFactorFailure, secondFactorLockedFor } from "./staff-throttle.ts";

export type SecondFactorOutcome<T = undefined> =
  { ok: true; value: T } | { ok: false; reason: "wrong_code" | "locked"; retryAfter?: number };

/**
 * An administrator confirms their new authenticator with one code. In one transaction: the
 * authenticator is enabled, ten recovery codes replace any older ones (only their hashes are
 * kept; the codes are returned to be shown once), this session is marked as having passed the
 * second factor, and the enrolment is audited. A wrong code counts towards the lock.
 */
export async function confirmTotpEnrolment(options: {
  userId: string;
  sid: string;
  code: string;
}): Promise<SecondFactorOutcome<string[]>> {
  const { userId, sid } = options;
  const code = options.code.trim();
  const locked = await secondFactorLockedFor(userId);
  if (locked > 0) return { ok: false, reason: "locked", retryAfter: locked };
  const codes = newRecoveryCodes();
  const done = await db().$transaction(async (tx) => {
    if ((await acceptTotpCode(tx, userId, code, { enabled: false })) === null) return false;
    await tx.staffRecoveryCode.deleteMany({ where: { userId } });
    await tx.staffRecoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })) });
    await tx.staffSecondFactor.upsert({ where: { sid }, create: { sid, userId }, update: {} });
    await appendAudit(tx, {
      actorId: userId,
      actorRole: "ADMIN",
      action: "staff.totp_enrolled",
      targetType: "user",
      targetId: userId,
      details: { recoveryCodes: codes.length },
    });
    return true;
  });
  if (!done) {
    const lock = await recordSecondFactorFailure(userId, "enrol");
    return lock ? { ok: false, reason: "locked", retryAfter: lock } : { ok: false, reason: "wrong_code" };
  }
  await clearSecondFactorFailures(userId);
  return { ok: true, value: codes };
}
