import { randomUUID } from "node:crypto";
import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { pseudonymOf } from "../subjects/pseudonym.ts";
import { isInForce } from "../consent/projection.ts";
import { materialVersionOf } from "../notices/load-store-notice.ts";
import { ready, redis } from "../redis.ts";
import { enqueue } from "../jobs/queues.ts";
import { SELFIE_TTL_SECONDS, selfieKey } from "./selfie-store.ts";

function looksLikeImage(b: Uint8Array): boolean {
  const jpeg = b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
  const png = b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
  return b.length > 100 && (jpeg || png);
}

/**
 * A shopper with recognition consent at the store sends a selfie. Its bytes wait in Redis under a
 * short TTL (never on disk or in Postgres) for the enrolment job, which keeps only the encrypted
 * template and deletes the selfie.
 */
export async function submitSelfie(opts: {
  userId: string;
  storeSlug: string;
  image: Uint8Array;
}): Promise<{ selfieId: string }> {
  if (!looksLikeImage(opts.image)) throw new AppError("not_jpeg", "the selfie must be a JPEG or PNG photo");
  const store = await db().store.findUnique({ where: { slug: opts.storeSlug }, select: { id: true } });
  if (!store) throw new AppError("unknown_store", `store ${opts.storeSlug} not found`);
  const consent = await db().consentState.findUnique({
    where: { userId_storeId_purposeCode: { userId: opts.userId, storeId: store.id, purposeCode: "recognition" } },
  });
  if (!isInForce(consent, await db().$transaction((tx) => materialVersionOf(tx, store.id)))) {
    throw new AppError("dependency_not_granted", "enrolment needs recognition consent");
  }

  const selfieId = randomUUID();
  const r = await ready(redis("producer")).catch(() => {
    throw new AppError("unavailable", "please try again in a moment", undefined, 5);
  });
  await r.set(selfieKey(selfieId), Buffer.from(opts.image), "EX", SELFIE_TTL_SECONDS);
  try {
    const template = await db().$transaction(async (tx) => {
      const row = await tx.faceTemplate.upsert({
        where: { userId: opts.userId },
        create: { userId: opts.userId, status: "PENDING" },
        update: { status: "PENDING", ciphertext: null, keyId: null, rejectReason: null },
        select: { id: true },
      });
      const subject = await pseudonymOf(tx, opts.userId);
      await appendAudit(tx, {
        subject,
        actorId: null,
        actorRole: "SHOPPER",
        action: "template.submit",
        targetType: "Subject",
        targetId: subject,
        storeId: store.id,
        details: { selfieId },
      });
      return row;
    });
    await enqueue("enrol.template", { templateId: template.id, selfieId });
  } catch (e) {
    await r.del(selfieKey(selfieId)).catch(() => {});
    throw e instanceof AppError ? e : new AppError("unavailable", "enrolment could not be queued", undefined, 5);
  }
  return { selfieId };
}
