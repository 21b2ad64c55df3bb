import { createHash } from "node:crypto";
import { db, type Tx } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { GENESIS_HASH } from "../crypto/hash-chain.ts";
import { materialVersionOf } from "../notices/load-store-notice.ts";
import { hashLedgerEvent } from "./ledger-hash.ts";
import { applyEvent, isInForce } from "./projection.ts";
import { CONSENTABLE, DEPENDS_ON, isPurposeCode, type PurposeCode } from "./purposes.ts";
import { publishConsentChanged } from "./publish-consent-changed.ts";
import { deleteTemplateTx } from "../templates/delete-template.ts";
import { pseudonymOf } from "../subjects/pseudonym.ts";
import { applyWithdrawal, checkKeepVisits, type WithdrawalEffects } from "./withdrawal-effects.ts";

export type ConsentChannel = "WEB" | "STAFF" | "PHONE" | "LETTER" | "SYSTEM";

export type ConsentCommand = {
  userId: string;
  storeSlug: string;
  purpose: string;
  // The notice version the shopper was shown; a grant is bound to it.
  noticeVersion: number;
  channel?: ConsentChannel;
  actor?: { id: string; role: string };
  // Withdrawing recognition: keep the visit history (only where the store's law allows it).
  keepVisits?: boolean;
};

export type RecordedEvent = {
  id: bigint;
  purposeCode: PurposeCode;
  action: "GRANT" | "REVOKE";
  storeId: string;
  effects: WithdrawalEffects;
};

/**
 * Appends ledger events and updates the projection in one transaction, then announces the change
 * on Redis so workers refresh their galleries. Refuses unknown stores and purposes, grants against
 * a notice that is no longer the current one, and demographics without recognition in force.
 * A withdrawal removes, in the same transaction, what the purpose produced at that store
 * (withdrawal-effects.ts) and the audit record says how much.
 */
export async function recordConsentEvent(action: "GRANT" | "REVOKE", cmd: ConsentCommand): Promise<RecordedEvent[]> {
  if (!isPurposeCode(cmd.purpose)) throw new AppError("unknown_purpose", `unknown purpose ${cmd.purpose}`);
  const purpose = cmd.purpose;
  if (!CONSENTABLE.includes(purpose)) {
    throw new AppError("purpose_not_consentable", `${purpose} needs no consent and cannot be granted or revoked`);
  }

  const events = await db().$transaction(async (tx) => {
    const store = await tx.store.findUnique({
      where: { slug: cmd.storeSlug },
      select: { id: true, jurisdiction: true },
    });
    if (!store) throw new AppError("unknown_store", `store ${cmd.storeSlug} not found`);
    if (action === "REVOKE") checkKeepVisits(store.jurisdiction, cmd.keepVisits);
    const notice = await tx.notice.findFirst({ where: { storeId: store.id }, orderBy: { version: "desc" } });
    if (!notice) throw new AppError("unknown_store", `store ${cmd.storeSlug} has no notice`);
    if (action === "GRANT" && cmd.noticeVersion !== notice.version) {
      throw new AppError("stale_notice", `notice version ${cmd.noticeVersion} is not current (${notice.version})`);
    }
    // One writer per shopper at a time keeps their hash chain linear.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"consent:" + cmd.userId}))`;
    const materialVersion = await materialVersionOf(tx, store.id);

    const dependency = DEPENDS_ON[purpose];
    if (action === "GRANT" && dependency) {
      const dep = await tx.consentState.findUnique({
        where: { userId_storeId_purposeCode: { userId: cmd.userId, storeId: store.id, purposeCode: dependency } },
      });
      if (!isInForce(dep, materialVersion)) {
        throw new AppError("dependency_not_granted", `${purpose} requires ${dependency}`);
      }
    }

    // Revoking a purpose also revokes what depends on it (revoking recognition ends demographics).
    const purposes: PurposeCode[] = [purpose];
    if (action === "REVOKE") {
      for (const [p, dep] of Object.entries(DEPENDS_ON)) if (dep === purpose) purposes.push(p as PurposeCode);
    }

    const written: RecordedEvent[] = [];
    for (const p of purposes) {
      const row = await appendEvent(tx, action, { ...cmd, purpose: p }, store.id, notice, p === purpose);
      if (row) written.push(row);
    }
    // Withdrawing recognition ends the purpose the template was made for: once no store may
    // recognise the shopper any more, the template is destroyed in the same transaction.
    if (action === "REVOKE" && purpose === "recognition") {
      const stillGranted = await tx.consentState.count({
        where: { userId: cmd.userId, purposeCode: "recognition", status: "GRANTED" },
      });
      if (stillGranted === 0) {
        await deleteTemplateTx(tx, cmd.userId, cmd.actor ?? { id: null, role: "SHOPPER" }, "recognition withdrawn");
      }
    }
    return written;
  });

  for (const e of events) {
    await publishConsentChanged({ userId: cmd.userId, storeId: e.storeId, purpose: e.purposeCode, action: e.action });
  }
  return events;
}

async function appendEvent(
  tx: Tx,
  action: "GRANT" | "REVOKE",
  cmd: ConsentCommand & { purpose: PurposeCode },
  storeId: string,
  notice: { id: string; version: number },
  requested: boolean,
): Promise<RecordedEvent | null> {
  const key = { userId: cmd.userId, storeId, purposeCode: cmd.purpose };
  const current = await tx.consentState.findUnique({ where: { userId_storeId_purposeCode: key } });
  // A cascaded revoke of something never granted or already revoked writes nothing.
  if (!requested && (!current || current.status === "REVOKED")) return null;

  const subject = await pseudonymOf(tx, cmd.userId);
  const last = await tx.consentEvent.findFirst({
    where: { subject },
    orderBy: { id: "desc" },
    select: { hash: true },
  });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const fields = {
    subject,
    storeId,
    purposeCode: cmd.purpose,
    action,
    noticeId: notice.id,
    noticeVersion: notice.version,
    channel: cmd.channel ?? "WEB",
    occurredAt: new Date(),
  } as const;
  const hash = hashLedgerEvent(prevHash, fields);
  const event = await tx.consentEvent.create({ data: { ...fields, prevHash, hash }, select: { id: true } });
  const effects =
    action === "REVOKE"
      ? await applyWithdrawal(tx, { userId: cmd.userId, storeId, purpose: cmd.purpose, keepVisits: cmd.keepVisits })
      : { visitsDeleted: 0, demographicsCleared: 0 };

  const next = applyEvent(current ?? undefined, { action, noticeVersion: notice.version });
  await tx.consentState.upsert({
    where: { userId_storeId_purposeCode: key },
    create: { ...key, status: next.status, noticeVersion: next.noticeVersion, lastEventId: event.id },
    update: { status: next.status, noticeVersion: next.noticeVersion, lastEventId: event.id },
  });

  await appendAudit(tx, {
    subjectOf: cmd.userId,
    actorId: cmd.actor?.id ?? null,
    actorRole: cmd.actor?.role ?? "SHOPPER",
    action: action === "GRANT" ? "consent.grant" : "consent.revoke",
    targetType: "ConsentEvent",
    targetId: event.id.toString(),
    storeId,
    details: {
      purpose: cmd.purpose,
      noticeVersion: notice.version,
      channel: fields.channel,
      cascade: !requested,
      // What the withdrawal removed, for the receipt and "My data" (counts only).
      ...(action === "REVOKE" ? { withdrawal: effects } : {}),
      // Short digest so the audit record points at the exact ledger link without copying it.
      ledgerHash: createHash("sha256").update(hash).digest("hex").slice(0, 16),
    },
  });
  return { id: event.id, purposeCode: cmd.purpose, action, storeId, effects };
}
