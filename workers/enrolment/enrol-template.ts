import type { RedisClient } from "../../lib/redis.ts";
import { db } from "../../lib/db.ts";
import { appendAudit } from "../../lib/audit/append-audit.ts";
import { pseudonymOf } from "../../lib/subjects/pseudonym.ts";
import { erasureUnderway, lockSubject } from "../../lib/subjects/subject-lock.ts";
import { selfieKey } from "../../lib/templates/selfie-store.ts";
import { sealTemplate } from "../../lib/templates/template-codec.ts";
import { publishGalleryChanged } from "../../lib/gallery/publish-gallery-changed.ts";
import type { JobPayload } from "../../lib/jobs/contract.ts";
import type { VisionPort } from "../frames/vision-port.ts";
import { enrolmentChecks } from "./enrolment-checks.ts";

export { ENROL_MIN_FACE_PX } from "./enrolment-checks.ts";

export type EnrolOutcome = { status: "ENROLLED" | "REJECTED" | "SKIPPED"; reason?: string };

/**
 * enrol.template: exactly one face, large enough, passing the quality gate and liveness; then only
 * the encrypted template is kept and the selfie is deleted (on success and on failure). Re-checks at
 * run time that the shopper still has a pending template and recognition consent somewhere. The
 * job names only the template row; the final write waits on the shopper's lock and writes nothing
 * once an erasure of them is approved or running (lib/subjects/subject-lock.ts).
 */
export async function enrolTemplate(
  payload: JobPayload<"enrol.template">,
  deps: { redis: RedisClient; vision: VisionPort },
): Promise<EnrolOutcome> {
  const skey = selfieKey(payload.selfieId);
  try {
    const pending = await db().faceTemplate.findUnique({ where: { id: payload.templateId } });
    if (!pending || pending.status !== "PENDING") return { status: "SKIPPED", reason: "no pending enrolment" };
    const userId = pending.userId;
    const granted = await db().consentState.count({ where: { userId, purposeCode: "recognition", status: "GRANTED" } });
    if (!granted) return reject(userId, "consent_missing");

    const bytes = await deps.redis.getBuffer(skey);
    if (!bytes) return reject(userId, "expired");
    let img: unknown;
    try {
      img = await deps.vision.decode(bytes);
    } catch {
      return reject(userId, "unreadable");
    }
    const check = await enrolmentChecks(deps.vision, img);
    if (!check.ok) return reject(userId, check.reason);

    const sealed = sealTemplate(userId, await deps.vision.embed(img, check.face));
    const written = await db().$transaction(async (tx) => {
      await lockSubject(tx, userId);
      if (await erasureUnderway(tx, userId)) return false;
      const res = await tx.faceTemplate.updateMany({
        where: { id: pending.id, status: "PENDING" },
        data: {
          status: "ENROLLED",
          ciphertext: sealed.ciphertext,
          keyId: sealed.keyId,
          modelVersion: deps.vision.modelVersion,
          rejectReason: null,
          lastUsedAt: new Date(),
        },
      });
      if (!res.count) return false;
      const subject = await pseudonymOf(tx, userId);
      await appendAudit(tx, {
        subject,
        actorId: null,
        actorRole: "SYSTEM",
        action: "template.enrolled",
        targetType: "Subject",
        targetId: subject,
        details: { modelVersion: deps.vision.modelVersion },
      });
      return true;
    });
    if (!written) return { status: "SKIPPED", reason: "no pending enrolment" };
    await publishGalleryChanged({ storeId: null, userId, reason: "template" });
    return { status: "ENROLLED" };
  } finally {
    await deps.redis.del(skey);
  }
}

async function reject(userId: string, reason: string): Promise<EnrolOutcome> {
  await db().$transaction(async (tx) => {
    await lockSubject(tx, userId);
    if (await erasureUnderway(tx, userId)) return;
    const res = await tx.faceTemplate.updateMany({
      where: { userId, status: "PENDING" },
      data: { status: "REJECTED", rejectReason: reason, ciphertext: null, keyId: null },
    });
    if (!res.count) return;
    const subject = await pseudonymOf(tx, userId);
    await appendAudit(tx, {
      subject,
      actorId: null,
      actorRole: "SYSTEM",
      action: "template.rejected",
      targetType: "Subject",
      targetId: subject,
      details: { reason },
    });
  });
  return { status: "REJECTED", reason };
}
