import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { isInForce } from "../consent/projection.ts";
import { materialVersionOf } from "../notices/load-store-notice.ts";
import { rateLimit } from "../rate-limit.ts";
import { KIOSK_CODES_PER_USER_PER_HOUR, KIOSK_CODE_SECONDS, hashKioskCode, newKioskCode } from "./kiosk-code.ts";

/**
 * "Enrol at the kiosk": a shopper with recognition consent at the store and an open check-in there
 * (made with the entrance display's presence token) gets a 6-digit code valid KIOSK_CODE_SECONDS,
 * once, at a kiosk of this store only. Returned once; stored only as a keyed hash. A new code ends
 * the shopper's previous unused one. Audited in the same transaction.
 */
export async function issueKioskCode(opts: { userId: string; storeSlug: string; now?: Date }) {
  const now = opts.now ?? new Date();
  await rateLimit("kiosk-code-user", opts.userId, KIOSK_CODES_PER_USER_PER_HOUR, 3600);
  const expiresAt = new Date(now.getTime() + KIOSK_CODE_SECONDS * 1000);
  return db().$transaction(async (tx) => {
    const store = await tx.store.findUnique({ where: { slug: opts.storeSlug } });
    if (!store) throw new AppError("unknown_store", `store ${opts.storeSlug} not found`);
    const consent = await tx.consentState.findUnique({
      where: { userId_storeId_purposeCode: { userId: opts.userId, storeId: store.id, purposeCode: "recognition" } },
    });
    if (!store.recognitionEnabled || !isInForce(consent, await materialVersionOf(tx, store.id)))
      throw new AppError("dependency_not_granted", "kiosk enrolment needs recognition consent");
    const checkedIn = await tx.checkIn.count({
      where: { userId: opts.userId, storeId: store.id, endedAt: null, startedAt: { lte: now }, expiresAt: { gt: now } },
    });
    if (!checkedIn) throw new AppError("check_in_required", "kiosk enrolment needs a check-in at the store");

    // The shopper's earlier unused code stops working; so does any code of this store whose time is
    // up (its hash is freed for a new code).
    await tx.kioskEnrolment.updateMany({
      where: { userId: opts.userId, status: "ISSUED" },
      data: { codeHash: null, status: "REFUSED", reason: "superseded", finishedAt: now },
    });
    await tx.kioskEnrolment.updateMany({
      where: { storeId: store.id, status: "ISSUED", expiresAt: { lte: now } },
      data: { codeHash: null, status: "REFUSED", reason: "code_expired", finishedAt: now },
    });
    // A live code of this store with the same digits would make both ambiguous: draw again.
    let code = newKioskCode();
    for (let i = 0; (await tx.kioskEnrolment.count({ where: { codeHash: hashKioskCode(store.id, code) } })) > 0; i++) {
      if (i >= 20) throw new AppError("unavailable", "no free kiosk code", undefined, 5);
      code = newKioskCode();
    }
    const row = await tx.kioskEnrolment.create({
      data: {
        userId: opts.userId,
        storeId: store.id,
        codeHash: hashKioskCode(store.id, code),
        expiresAt,
        createdAt: now,
      },
    });
    await appendAudit(tx, {
      subjectOf: opts.userId,
      actorId: null,
      actorRole: "SHOPPER",
      action: "kiosk.code_issued",
      targetType: "KioskEnrolment",
      targetId: row.id,
      storeId: store.id,
      details: { expiresAt: expiresAt.toISOString() },
    });
    return { enrolmentId: row.id, code, expiresAt };
  });
}
