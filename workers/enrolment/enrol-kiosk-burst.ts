import type { RedisClient } from "../../lib/redis.ts";
import { db } from "../../lib/db.ts";
import { appendAudit } from "../../lib/audit/append-audit.ts";
import { erasureUnderway, lockSubject } from "../../lib/subjects/subject-lock.ts";
import { burstKey, BURST_MIN_FRAMES } from "../../lib/kiosk/kiosk-code.ts";
import { sealTemplate } from "../../lib/templates/template-codec.ts";
import { publishGalleryChanged } from "../../lib/gallery/publish-gallery-changed.ts";
import { visionConfig } from "../../lib/vision/config.ts";
import type { JobPayload } from "../../lib/jobs/contract.ts";
import type { VisionPort } from "../frames/vision-port.ts";
import { burstLiveness, faceChecks } from "./enrolment-checks.ts";

export type EnrolOutcome = { status: "ENROLLED" | "REJECTED" | "SKIPPED"; reason?: string };

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s / (Math.hypot(...a) * Math.hypot(...b) || 1);
}

/**
 * enrol.kiosk: the burst a paired kiosk captured after the shopper typed their code. Every frame
 * must pass the production enrolment checks (one dominant face, large enough, quality gate:
 * enrolment-checks.ts), the median of the frames' liveness scores must reach LIVENESS_MIN
 * (burstLiveness), and every pair of frames must show the same identity (embedding
 * similarity at least MATCH_THRESHOLD, the matcher's own bar). Then only the sealed template (the
 * normalised mean of the frames' embeddings) is kept; the frames are deleted from Redis on every
 * outcome and never reach disk or Postgres (invariant 1). The final write waits on the shopper's
 * lock, writes nothing once an erasure of them is approved or running, and re-checks that the
 * kiosk enrolment is still PROCESSING and recognition still granted at that store.
 */
export async function enrolKioskBurst(
  payload: JobPayload<"enrol.kiosk">,
  deps: { redis: RedisClient; vision: VisionPort },
): Promise<EnrolOutcome> {
  const bkey = burstKey(payload.enrolmentId);
  try {
    const enrolment = await db().kioskEnrolment.findUnique({ where: { id: payload.enrolmentId } });
    if (!enrolment || enrolment.status !== "PROCESSING") return { status: "SKIPPED", reason: "no pending enrolment" };
    const { userId, storeId } = enrolment;
    const refuse = (reason: string) => reject(enrolment.id, userId, storeId, reason);
    const granted = await db().consentState.count({
      where: { userId, storeId, purposeCode: "recognition", status: "GRANTED" },
    });
    if (!granted) return refuse("consent_missing");

    const frames = await deps.redis.lrangeBuffer(bkey, 0, -1);
    if (frames.length < BURST_MIN_FRAMES) return refuse("expired");
    const embeddings: Float32Array[] = [];
    const liveness: number[] = [];
    for (const bytes of frames) {
      let img: unknown;
      try {
        img = await deps.vision.decode(bytes);
      } catch {
        return refuse("unreadable");
      }
      const check = await faceChecks(deps.vision, img);
      if (!check.ok) return refuse(check.reason);
      liveness.push(check.liveness);
      embeddings.push(await deps.vision.embed(img, check.face));
    }
    if (burstLiveness(liveness) < visionConfig().LIVENESS_MIN) return refuse("liveness");
    const min = visionConfig().MATCH_THRESHOLD;
    for (let i = 0; i < embeddings.length; i++)
      for (let j = i + 1; j < embeddings.length; j++)
        if (dot(embeddings[i]!, embeddings[j]!) < min) return refuse("identity_mismatch");

    const mean = new Float32Array(embeddings[0]!.length);
    for (const e of embeddings) for (let i = 0; i < e.length; i++) mean[i]! += e[i]! / Math.hypot(...e);
    const norm = Math.hypot(...mean) || 1;
    for (let i = 0; i < mean.length; i++) mean[i]! /= norm;
    const sealed = sealTemplate(userId, mean);

    const written = await db().$transaction(async (tx) => {
      await lockSubject(tx, userId);
      if (await erasureUnderway(tx, userId)) return false;
      const taken = await tx.kioskEnrolment.updateMany({
        where: { id: enrolment.id, status: "PROCESSING" },
        data: { status: "ENROLLED", reason: null, finishedAt: new Date() },
      });
      if (!taken.count) return false;
      const res = await tx.faceTemplate.updateMany({
        where: { userId, status: "PENDING" },
        data: {
          status: "ENROLLED",
          ciphertext: sealed.ciphertext,
          keyId: sealed.keyId,
          modelVersion: deps.vision.modelVersion,
          rejectReason: null,
          lastUsedAt: new Date(),
        },
      });
      if (!res.count) throw new Error("template left its pending state during kiosk enrolment");
      await appendAudit(tx, {
        subjectOf: userId,
        actorId: null,
        actorRole: "SYSTEM",
        action: "template.enrolled",
        targetType: "KioskEnrolment",
        targetId: enrolment.id,
        storeId,
        details: { modelVersion: deps.vision.modelVersion, frames: embeddings.length },
      });
      return true;
    });
    if (!written) return { status: "SKIPPED", reason: "no pending enrolment" };
    await publishGalleryChanged({ storeId: null, userId, reason: "template" });
    return { status: "ENROLLED" };
  } finally {
    await deps.redis.del(bkey);
  }
}

async function reject(enrolmentId: string, userId: string, storeId: string, reason: string): Promise<EnrolOutcome> {
  await db().$transaction(async (tx) => {
    await lockSubject(tx, userId);
    if (await erasureUnderway(tx, userId)) return;
    const taken = await tx.kioskEnrolment.updateMany({
      where: { id: enrolmentId, status: "PROCESSING" },
      data: { status: "REFUSED", reason, finishedAt: new Date() },
    });
    if (!taken.count) return;
    await tx.faceTemplate.updateMany({
      where: { userId, status: "PENDING" },
      data: { status: "REJECTED", rejectReason: reason, ciphertext: null, keyId: null },
    });
    await appendAudit(tx, {
      subjectOf: userId,
      actorId: null,
      actorRole: "SYSTEM",
      action: "template.rejected",
      targetType: "KioskEnrolment",
      targetId: enrolmentId,
      storeId,
      details: { reason },
    });
  });
  return { status: "REJECTED", reason };
}
