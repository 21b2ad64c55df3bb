import { unlink } from "node:fs/promises";
import nodemailer from "nodemailer";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { ready, redis } from "../redis.ts";
import { selfieKey } from "../templates/submit-selfie.ts";
import { publishGalleryChanged } from "../gallery/publish-gallery-changed.ts";
import { logError } from "../log/log-error.ts";
import { subjectHash } from "./subject-hash.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";

const BATCH = 500;

export type ErasureCounts = Record<string, number>;
export type ErasureReceipt = {
  requestId: string;
  subjectHash: string;
  startedAt: string;
  finishedAt: string;
  deleted: ErasureCounts;
  remaining: ErasureCounts;
  auditChainHead: string;
};

async function deleteInBatches(find: () => Promise<{ id: string }[]>, del: (ids: string[]) => Promise<{ count: number }>): Promise<number> {
  let total = 0;
  for (;;) {
    const ids = (await find()).map((r) => r.id);
    if (!ids.length) return total;
    total += (await del(ids)).count;
  }
}

/** What is still tied to the user; all zero after erasure (the proof in the receipt). */
async function remaining(userId: string, email: string | null, subject: string | null): Promise<ErasureCounts> {
  const [visits, checkIns, consentEvents, subjectKeys, consentStates, templates, sessions, accounts, users, signInTokens, exports] = await Promise.all([
    db().visit.count({ where: { userId } }),
    db().checkIn.count({ where: { userId } }),
    subject ? db().consentEvent.count({ where: { subject } }) : Promise.resolve(0),
    db().subjectKey.count({ where: { userId } }),
    db().consentState.count({ where: { userId } }),
    db().faceTemplate.count({ where: { userId } }),
    db().session.count({ where: { userId } }),
    db().account.count({ where: { userId } }),
    db().user.count({ where: { id: userId } }),
    email ? db().verificationToken.count({ where: { identifier: email } }) : Promise.resolve(0),
    db().dataRequest.count({ where: { userId, exportPath: { not: null } } }),
  ]);
  return { visits, checkIns, consentEvents, subjectKeys, consentStates, templates, sessions, accounts, users, signInTokens, exports };
}

/**
 * request.erase: removes every row, Redis key and file tied to the shopper (invariant 6), counts
 * again to prove nothing is left, and keeps a tombstone (keyed hash, dates, receipt). Idempotent:
 * it can be killed at any point and run again; progress is derived from what is left, and the
 * subject's hash is recorded on the request before anything is deleted.
 * `crashAfter` lets tests stop it between steps.
 */
export async function eraseSubject(requestId: string, opts: { crashAfter?: string } = {}): Promise<{ status: string; receipt?: ErasureReceipt }> {
  const r = await db().dataRequest.findUnique({ where: { id: requestId } });
  if (!r || r.kind !== "ERASURE") return { status: "skipped" };
  if (r.status === "COMPLETED") return { status: "COMPLETED", receipt: r.receipt as unknown as ErasureReceipt };
  if (!["APPROVED", "IN_PROGRESS", "FAILED"].includes(r.status)) return { status: "skipped" };

  // Who is being erased: from the request (first run) or from what the first run recorded.
  const progress = (r.receipt ?? {}) as Partial<ErasureReceipt> & { userId?: string; deleted?: ErasureCounts };
  const userId = r.userId ?? progress.userId;
  if (!userId) return { status: "skipped" };
  const user = await db().user.findUnique({ where: { id: userId }, select: { email: true } });
  const email = user?.email ?? null;
  const hash = progress.subjectHash ?? subjectHash(email ?? userId);
  // Kept until the very end: a re-run after a crash still finds the subject's pseudonymous rows.
  const subject = await existingPseudonym(userId);
  const startedAt = progress.startedAt ?? new Date().toISOString();
  const deleted: ErasureCounts = { ...(progress.deleted ?? {}) };
  const save = () => db().dataRequest.update({ where: { id: r.id }, data: { status: "IN_PROGRESS", receipt: { userId, subjectHash: hash, startedAt, deleted } } });
  await save();
  const step = async (name: string, n: Promise<number> | number) => {
    deleted[name] = (deleted[name] ?? 0) + (await n);
    await save();
    if (opts.crashAfter === name) throw new Error(`simulated crash after ${name}`);
  };

  await step("visits", deleteInBatches(() => db().visit.findMany({ where: { userId }, select: { id: true }, take: BATCH }), (ids) => db().visit.deleteMany({ where: { id: { in: ids } } })));
  await step("checkIns", deleteInBatches(() => db().checkIn.findMany({ where: { userId }, select: { id: true }, take: BATCH }), (ids) => db().checkIn.deleteMany({ where: { id: { in: ids } } })));

  // Pending selfies wait in Redis under ids that only the audit trail links to this shopper.
  const submits = subject ? await db().auditLog.findMany({ where: { action: "template.submit", subject }, select: { details: true } }) : [];
  const selfieIds = submits.map((s) => (s.details as { selfieId?: string }).selfieId).filter((x): x is string => !!x);
  const redisDeleted = selfieIds.length ? await (await ready(redis("producer"))).del(...selfieIds.map(selfieKey)) : 0;
  await step("redisKeys", redisDeleted);
  await step("templates", db().faceTemplate.deleteMany({ where: { userId } }).then((x) => x.count));
  await publishGalleryChanged({ storeId: null, userId, reason: "template" });

  // The ledger refuses every delete but this one: the database function checks that this erasure
  // request is in progress and deletes only its subject's chain.
  await step(
    "consentEvents",
    db()
      .$queryRaw<{ n: number }[]>`SELECT veil_erase_ledger(${r.id}) AS n`
      .then((rows) => Number(rows[0]?.n ?? 0)),
  );
  await step("consentStates", db().consentState.deleteMany({ where: { userId } }).then((x) => x.count));

  const exports = await db().dataRequest.findMany({ where: { userId, exportPath: { not: null } }, select: { id: true, exportPath: true } });
  for (const e of exports) await unlink(e.exportPath!).catch((err: NodeJS.ErrnoException) => (err.code === "ENOENT" ? undefined : Promise.reject(err)));
  await step("exportFiles", db().dataRequest.updateMany({ where: { id: { in: exports.map((e) => e.id) } }, data: { exportPath: null, exportExpiresAt: null } }).then((x) => x.count));
  if (email) await step("signInTokens", db().verificationToken.deleteMany({ where: { identifier: email } }).then((x) => x.count));
  await step("sessions", db().session.deleteMany({ where: { userId } }).then((x) => x.count));
  await step("accounts", db().account.deleteMany({ where: { userId } }).then((x) => x.count));
  // Requests stay as the record of what was asked and done, no longer linked to a person.
  await db().dataRequest.updateMany({ where: { userId, id: { not: r.id } }, data: { userId: null } });
  // Crypto-shredding: without the key the pseudonyms left in the audit trail name no one.
  await step("subjectKeys", db().subjectKey.deleteMany({ where: { userId } }).then((x) => x.count));
  await step("users", db().user.deleteMany({ where: { id: userId } }).then((x) => x.count));

  const left = await remaining(userId, email, subject);
  const leftover = Object.entries(left).filter(([, n]) => n > 0);
  if (leftover.length) throw new Error(`erasure incomplete: ${leftover.map(([k, n]) => `${k}=${n}`).join(", ")}`);

  const receipt = await db().$transaction(async (tx) => {
    const entry = await appendAudit(tx, { actorId: null, actorRole: "SYSTEM", action: "request.erased", targetType: "DataRequest", targetId: r.id, storeId: r.storeId, details: { deleted } });
    const receipt: ErasureReceipt = { requestId: r.id, subjectHash: hash, startedAt, finishedAt: new Date().toISOString(), deleted, remaining: left, auditChainHead: entry.hash };
    await tx.erasureTombstone.upsert({ where: { requestId: r.id }, create: { requestId: r.id, subjectHash: hash, receipt }, update: {} });
    await tx.dataRequest.update({ where: { id: r.id }, data: { status: "COMPLETED", completedAt: new Date(), userId: null, receipt } });
    return receipt;
  });
  if (email) await mailReceipt(email, receipt);
  return { status: "COMPLETED", receipt };
}

async function mailReceipt(to: string, receipt: ErasureReceipt): Promise<void> {
  const { SMTP_URL, MAIL_FROM } = env();
  if (!SMTP_URL) return; // demo without mail: the receipt stays on the request and the tombstone
  try {
    await nodemailer.createTransport(SMTP_URL).sendMail({
      to,
      from: MAIL_FROM,
      subject: "Your data has been erased",
      text: `Everything held on you has been erased.\n\nReceipt (keep it as proof):\n${JSON.stringify(receipt, null, 2)}`,
    });
  } catch (e) {
    logError("erasure.mail", e, { requestId: receipt.requestId });
  }
}
