import { unlink } from "node:fs/promises";
import nodemailer from "nodemailer";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { ready, redis } from "../redis.ts";
import { burstKey } from "../kiosk/kiosk-code.ts";
import { publishGalleryChanged } from "../gallery/publish-gallery-changed.ts";
import { logError } from "../log/log-error.ts";
import { subjectHash } from "./subject-hash.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";
import { scanLeftovers, type Hit, type ScanReport } from "./scan-leftovers.ts";
import { purgeRedisLeftovers } from "./purge-redis-leftovers.ts";
import { settleSubjectJobs } from "./settle-subject-jobs.ts";
import { lockSubject } from "../subjects/subject-lock.ts";
import { messages } from "../i18n/messages.ts";
import { firstLocale, type Locale } from "../i18n/locales.ts";

const BATCH = 500;

export type ErasureCounts = Record<string, number>;
export type ErasureReceipt = {
  requestId: string;
  subjectHash: string;
  startedAt: string;
  finishedAt: string;
  deleted: ErasureCounts;
  // What the leftover scan found tied to the subject after the deletions: all zero.
  remaining: ErasureCounts;
  // What the scan covered (scan-leftovers.ts), and how many audit records keep the now unlinkable
  // pseudonym (their key is destroyed; they are never rewritten, so the chain still verifies).
  scanned: ScanReport["scanned"] & { pseudonymousAuditRecords: number };
  auditChainHead: string;
};

// Progress kept on the request while it runs (replaced by the receipt when it completes), so a
// re-run after a crash still knows whom to look for once the user row and key are gone.
type Progress = Partial<ErasureReceipt> & {
  userId?: string;
  email?: string | null;
  pseudonym?: string | null;
  templateId?: string | null;
  deleted?: ErasureCounts;
};

async function deleteInBatches(
  find: () => Promise<{ id: string }[]>,
  del: (ids: string[]) => Promise<{ count: number }>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const ids = (await find()).map((r) => r.id);
    if (!ids.length) return total;
    total += (await del(ids)).count;
  }
}

/**
 * request.erase: removes every row, Redis key and file tied to the shopper (invariant 6), then
 * proves nothing is left with the leftover scan (every table, Redis key and file, scan-leftovers.ts)
 * and keeps a tombstone (keyed hash, dates, receipt). Idempotent:
 * it can be killed at any point and run again; progress is derived from what is left, and the
 * subject's hash is recorded on the request before anything is deleted.
 * `crashAfter` lets tests stop it between steps.
 */
export async function eraseSubject(
  requestId: string,
  opts: { crashAfter?: string } = {},
): Promise<{ status: string; receipt?: ErasureReceipt }> {
  const r = await db().dataRequest.findUnique({ where: { id: requestId } });
  if (!r || r.kind !== "ERASURE") return { status: "skipped" };
  if (r.status === "COMPLETED") return { status: "COMPLETED", receipt: r.receipt as unknown as ErasureReceipt };
  if (!["APPROVED", "IN_PROGRESS", "FAILED"].includes(r.status)) return { status: "skipped" };

  // Who is being erased: from the request (first run) or from what the first run recorded.
  const progress = (r.receipt ?? {}) as Progress;
  const userId = r.userId ?? progress.userId;
  if (!userId) return { status: "skipped" };
  const user = await db().user.findUnique({ where: { id: userId }, select: { email: true, locale: true } });
  const email = user?.email ?? progress.email ?? null;
  const hash = progress.subjectHash ?? subjectHash(email ?? userId);
  // The key is kept until the very end, and the pseudonym recorded: a re-run after a crash still
  // finds the subject's pseudonymous rows and scans for them.
  const subject = progress.pseudonym ?? (await existingPseudonym(userId));
  const templateId =
    progress.templateId ??
    (await db().faceTemplate.findUnique({ where: { userId }, select: { id: true } }))?.id ??
    null;
  const startedAt = progress.startedAt ?? new Date().toISOString();
  const deleted: ErasureCounts = { ...(progress.deleted ?? {}) };
  let waitingFor: string | undefined;
  const save = () =>
    db().dataRequest.update({
      where: { id: r.id },
      data: {
        status: "IN_PROGRESS",
        receipt: {
          userId,
          email,
          pseudonym: subject,
          templateId,
          subjectHash: hash,
          startedAt,
          deleted,
          ...(waitingFor ? { waitingFor } : {}),
        },
      },
    });
  // Under the shopper's lock: an export or enrolment writing right now finishes first (and is
  // deleted below); any later one sees this erasure and writes nothing (subject-lock.ts).
  await db().$transaction(async (tx) => {
    await lockSubject(tx, userId);
    await tx.dataRequest.update({
      where: { id: r.id },
      data: {
        status: "IN_PROGRESS",
        receipt: { userId, email, pseudonym: subject, templateId, subjectHash: hash, startedAt, deleted },
      },
    });
  });
  const step = async (name: string, n: Promise<number> | number) => {
    deleted[name] = (deleted[name] ?? 0) + (await n);
    await save();
    if (opts.crashAfter === name) throw new Error(`simulated crash after ${name}`);
  };

  // Kiosk bursts wait in Redis under the ids of the shopper's kiosk enrolments.
  const enrolmentIds = (await db().kioskEnrolment.findMany({ where: { userId }, select: { id: true } })).map(
    (x) => x.id,
  );

  // The shopper's export and enrolment jobs: cancelled if queued, waited for if running.
  const exportRequestIds = (
    await db().dataRequest.findMany({ where: { userId, kind: "ACCESS" }, select: { id: true } })
  ).map((x) => x.id);
  const settled = await settleSubjectJobs({
    exportRequestIds,
    enrolmentIds,
    timeoutMs: 2 * env().WORKER_LOCK_MS,
    onWaiting: async (jobId) => {
      waitingFor = jobId;
      await save();
    },
  });
  waitingFor = undefined;
  await step("jobsCancelled", settled.cancelled);

  await step(
    "visits",
    deleteInBatches(
      () => db().visit.findMany({ where: { userId }, select: { id: true }, take: BATCH }),
      (ids) => db().visit.deleteMany({ where: { id: { in: ids } } }),
    ),
  );
  await step(
    "checkIns",
    deleteInBatches(
      () => db().checkIn.findMany({ where: { userId }, select: { id: true }, take: BATCH }),
      (ids) => db().checkIn.deleteMany({ where: { id: { in: ids } } }),
    ),
  );

  const redisDeleted = enrolmentIds.length
    ? await (await ready(redis("producer"))).del(...enrolmentIds.map(burstKey))
    : 0;
  await step("redisKeys", redisDeleted);
  await step(
    "kioskEnrolments",
    db()
      .kioskEnrolment.deleteMany({ where: { userId } })
      .then((x) => x.count),
  );
  await step(
    "templates",
    db()
      .faceTemplate.deleteMany({ where: { userId } })
      .then((x) => x.count),
  );
  await publishGalleryChanged({ storeId: null, userId, reason: "template" });

  // The ledger refuses every delete but this one: the database function checks that this erasure
  // request is in progress and deletes only its subject's chain.
  await step(
    "consentEvents",
    db().$queryRaw<{ n: number }[]>`SELECT veil_erase_ledger(${r.id}) AS n`.then((rows) => Number(rows[0]?.n ?? 0)),
  );
  await step(
    "consentStates",
    db()
      .consentState.deleteMany({ where: { userId } })
      .then((x) => x.count),
  );

  const exports = await db().dataRequest.findMany({
    where: { userId, exportPath: { not: null } },
    select: { id: true, exportPath: true },
  });
  for (const e of exports)
    await unlink(e.exportPath!).catch((err: NodeJS.ErrnoException) =>
      err.code === "ENOENT" ? undefined : Promise.reject(err),
    );
  await step(
    "exportFiles",
    db()
      .dataRequest.updateMany({
        where: { id: { in: exports.map((e) => e.id) } },
        data: { exportPath: null, exportExpiresAt: null },
      })
      .then((x) => x.count),
  );
  if (email)
    await step(
      "signInTokens",
      db()
        .verificationToken.deleteMany({ where: { identifier: email } })
        .then((x) => x.count),
    );
  await step(
    "sessions",
    db()
      .session.deleteMany({ where: { userId } })
      .then((x) => x.count),
  );
  await step(
    "accounts",
    db()
      .account.deleteMany({ where: { userId } })
      .then((x) => x.count),
  );
  // Requests stay as the record of what was asked and done, no longer linked to a person.
  await db().dataRequest.updateMany({ where: { userId, id: { not: r.id } }, data: { userId: null } });
  // Crypto-shredding: without the key the pseudonyms left in the audit trail name no one.
  await step(
    "subjectKeys",
    db()
      .subjectKey.deleteMany({ where: { userId } })
      .then((x) => x.count),
  );
  await step(
    "users",
    db()
      .user.deleteMany({ where: { id: userId } })
      .then((x) => x.count),
  );

  // Whatever else still names the subject in Redis (jobs of any state with their data and return
  // values, rate-limit counters, entries of shared structures) goes; then the scan is the proof.
  await step("redisLeftovers", purgeRedisLeftovers({ userId, email, pseudonym: subject, templateId }));
  const scan = await scanLeftovers(
    { userId, email, pseudonym: subject, templateId },
    { skipRows: [{ table: "DataRequest", id: r.id }] },
  );
  // The one expected hit: audit records under the pseudonym, which name no one once the key is gone.
  const expected = (h: Hit) => h.store === "postgres" && h.location === "AuditLog" && h.needle === "pseudonym";
  const leftover = scan.hits.filter((h) => !expected(h));
  if (leftover.length)
    throw new Error(
      `erasure incomplete: ${leftover.map((h) => `${h.store}:${h.location} (${h.needle}) x${h.count}`).join(", ")}`,
    );
  const left: ErasureCounts = { postgresRows: 0, redisKeys: 0, files: 0 };
  const scanned = {
    ...scan.scanned,
    pseudonymousAuditRecords: scan.hits.filter(expected).reduce((n, h) => n + h.count, 0),
  };

  const receipt = await db().$transaction(async (tx) => {
    const entry = await appendAudit(tx, {
      actorId: null,
      actorRole: "SYSTEM",
      action: "request.erased",
      targetType: "DataRequest",
      targetId: r.id,
      storeId: r.storeId,
      details: { deleted },
    });
    const receipt: ErasureReceipt = {
      requestId: r.id,
      subjectHash: hash,
      startedAt,
      finishedAt: new Date().toISOString(),
      deleted,
      remaining: left,
      scanned,
      auditChainHead: entry.hash,
    };
    await tx.erasureTombstone.upsert({
      where: { requestId: r.id },
      create: { requestId: r.id, subjectHash: hash, receipt },
      update: {},
    });
    await tx.dataRequest.update({
      where: { id: r.id },
      data: { status: "COMPLETED", completedAt: new Date(), userId: null, receipt },
    });
    return receipt;
  });
  if (email) {
    const store = await db().store.findUnique({ where: { id: r.storeId }, select: { defaultLocale: true } });
    await mailReceipt(email, receipt, firstLocale(user?.locale, store?.defaultLocale));
  }
  return { status: "COMPLETED", receipt };
}

async function mailReceipt(to: string, receipt: ErasureReceipt, locale: Locale): Promise<void> {
  const m = messages(locale).mail;
  const { SMTP_URL, MAIL_FROM } = env();
  if (!SMTP_URL) return; // demo without mail: the receipt stays on the request and the tombstone
  try {
    await nodemailer.createTransport(SMTP_URL).sendMail({
      to,
      from: MAIL_FROM,
      subject: m.erasedSubject,
      text: m.erasedBody(JSON.stringify(receipt, null, 2)),
    });
  } catch (e) {
    logError("erasure.mail", e, { requestId: receipt.requestId });
  }
}
