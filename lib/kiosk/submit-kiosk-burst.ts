import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { isInForce } from "../consent/projection.ts";
import { materialVersionOf } from "../notices/load-store-notice.ts";
import { authenticateDevice } from "../devices/authenticate-device.ts";
import { rateLimit } from "../rate-limit.ts";
import { ready, redis } from "../redis.ts";
import { enqueue } from "../jobs/queues.ts";
import {
  BURST_FRAME_MAX_BYTES,
  BURST_MAX_FRAMES,
  BURST_MIN_FRAMES,
  BURST_TTL_SECONDS,
  KIOSK_ATTEMPTS_PER_DEVICE,
  KIOSK_ATTEMPTS_PER_STORE,
  KIOSK_ATTEMPT_WINDOW_SECONDS,
  burstKey,
  hashKioskCode,
  isKioskCode,
} from "./kiosk-code.ts";

const isJpeg = (b: Uint8Array) => b.length > 100 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/**
 * The kiosk sends the code the shopper typed and the burst it captured. Only a paired, unrevoked
 * kiosk of the code's store is heard (`kiosk_not_paired`); attempts are rate-limited per kiosk and
 * per store before the code is looked up; a code that is unknown here, used or replaced is
 * `kiosk_code_invalid`, one whose 2 minutes are up `kiosk_code_expired`. The code is taken once
 * (conditional update), the shopper's template goes PENDING and the submission is audited in one
 * transaction; the frames wait in Redis only (BURST_TTL_SECONDS) for the enrol.kiosk job, which
 * runs the checks. Nothing is written for a refused attempt.
 */
export async function submitKioskBurst(opts: {
  storeSlug: string;
  credential: string | undefined;
  code: string;
  frames: Uint8Array[];
  now?: Date;
}): Promise<{ enrolmentId: string }> {
  const now = opts.now ?? new Date();
  const store = await db().store.findUnique({ where: { slug: opts.storeSlug }, select: { id: true } });
  if (!store) throw new AppError("unknown_store", `store ${opts.storeSlug} not found`);
  const device = await authenticateDevice({ kind: "KIOSK", storeId: store.id, credential: opts.credential, now });
  await rateLimit("kiosk-attempt-device", device.id, KIOSK_ATTEMPTS_PER_DEVICE, KIOSK_ATTEMPT_WINDOW_SECONDS);
  await rateLimit("kiosk-attempt-store", store.id, KIOSK_ATTEMPTS_PER_STORE, KIOSK_ATTEMPT_WINDOW_SECONDS);
  if (!isKioskCode(opts.code)) throw new AppError("kiosk_code_invalid", "kiosk code garbled");
  if (opts.frames.length < BURST_MIN_FRAMES || opts.frames.length > BURST_MAX_FRAMES)
    throw new AppError("invalid_input", `a burst has ${BURST_MIN_FRAMES}-${BURST_MAX_FRAMES} frames`);
  if (opts.frames.some((f) => f.byteLength > BURST_FRAME_MAX_BYTES))
    throw new AppError("payload_too_large", "burst frame too large");
  if (!opts.frames.every(isJpeg)) throw new AppError("not_jpeg", "burst frames must be JPEG");

  const codeHash = hashKioskCode(store.id, opts.code);
  const found = await db().kioskEnrolment.findUnique({ where: { codeHash } });
  if (!found || found.status !== "ISSUED" || found.storeId !== store.id)
    throw new AppError("kiosk_code_invalid", "kiosk code unknown at this store, used or replaced");
  if (found.expiresAt <= now) {
    await db().kioskEnrolment.updateMany({
      where: { id: found.id, status: "ISSUED" },
      data: { codeHash: null, status: "REFUSED", reason: "code_expired", finishedAt: now },
    });
    throw new AppError("kiosk_code_expired", "kiosk code expired");
  }

  const r = await ready(redis("producer")).catch(() => {
    throw new AppError("unavailable", "please try again in a moment", undefined, 5);
  });
  const bkey = burstKey(found.id);
  await r
    .multi()
    .del(bkey)
    .rpush(bkey, ...opts.frames.map((f) => Buffer.from(f)))
    .expire(bkey, BURST_TTL_SECONDS)
    .exec();
  try {
    await db().$transaction(async (tx) => {
      const taken = await tx.kioskEnrolment.updateMany({
        where: { id: found.id, codeHash, status: "ISSUED", expiresAt: { gt: now } },
        data: { codeHash: null, status: "PROCESSING", deviceId: device.id, redeemedAt: now },
      });
      if (taken.count !== 1) throw new AppError("kiosk_code_invalid", "kiosk code already used");
      const consent = await tx.consentState.findUnique({
        where: {
          userId_storeId_purposeCode: { userId: found.userId, storeId: store.id, purposeCode: "recognition" },
        },
      });
      if (!isInForce(consent, await materialVersionOf(tx, store.id)))
        throw new AppError("dependency_not_granted", "enrolment needs recognition consent");
      await tx.faceTemplate.upsert({
        where: { userId: found.userId },
        create: { userId: found.userId, status: "PENDING" },
        update: { status: "PENDING", ciphertext: null, keyId: null, rejectReason: null },
      });
      await appendAudit(tx, {
        subjectOf: found.userId,
        actorId: device.id,
        actorRole: "DEVICE",
        action: "template.submit",
        targetType: "KioskEnrolment",
        targetId: found.id,
        storeId: store.id,
        details: { frames: opts.frames.length },
      });
    });
    await enqueue("enrol.kiosk", { enrolmentId: found.id });
  } catch (e) {
    await r.del(bkey).catch(() => {});
    throw e instanceof AppError ? e : new AppError("unavailable", "enrolment could not be queued", undefined, 5);
  }
  return { enrolmentId: found.id };
}
