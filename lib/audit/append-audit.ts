import type { Tx } from "../db.ts";
import { GENESIS_HASH, chainHash } from "../crypto/hash-chain.ts";
import { pseudonymOf } from "../subjects/pseudonym.ts";

export type AuditEntry = {
  // The shopper the record is about, stored only as their pseudonym (lib/subjects/pseudonym.ts).
  // A shopper acting for themselves is actorId null, actorRole SHOPPER: their user id is never written.
  subject?: string | null;
  actorId: string | null;
  actorRole: string; // SHOPPER | SUPPORT | ADMIN | SYSTEM | CAMERA
  action: string; // e.g. consent.grant, request.approve
  targetType: string;
  targetId: string;
  storeId?: string | null;
  // ids and codes only: never e-mail addresses, images or embeddings (invariant 8)
  details?: Record<string, unknown>;
};

// Appends must serialise so each row's prevHash is the row before it.
const AUDIT_LOCK = 0x7665696c; // "veil"

export type AuditInput = AuditEntry & {
  // The user id of the shopper concerned; appendAudit turns it into their pseudonym (or pass
  // `subject` when the caller already holds it, e.g. to use it as the target too).
  subjectOf?: string;
};

/** Appends to the audit chain inside the caller's transaction, next to the state change it records. */
export async function appendAudit(tx: Tx, input: AuditInput): Promise<{ id: bigint; hash: string }> {
  const { subjectOf, ...rest } = input;
  const entry: AuditEntry = {
    ...rest,
    subject: subjectOf ? await pseudonymOf(tx, subjectOf) : (rest.subject ?? null),
    // One rule for every caller: a shopper's user id is never written, they are their pseudonym.
    actorId: rest.actorRole === "SHOPPER" ? null : rest.actorId,
  };
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`;
  const last = await tx.auditLog.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date();
  const fields = auditFields({ ...entry, at });
  const hash = chainHash(prevHash, fields);
  const row = await tx.auditLog.create({
    data: {
      at,
      subject: entry.subject ?? null,
      actorId: entry.actorId,
      actorRole: entry.actorRole,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      storeId: entry.storeId ?? null,
      details: (entry.details ?? {}) as object,
      prevHash,
      hash,
    },
    select: { id: true, hash: true },
  });
  return row;
}

/** The fields an audit hash covers; shared by append and verify. */
export function auditFields(e: AuditEntry & { at: Date }): Record<string, unknown> {
  return {
    at: e.at,
    // Left out when empty, so records written before subjects existed keep their hashes.
    subject: e.subject ?? undefined,
    actorId: e.actorId,
    actorRole: e.actorRole,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    storeId: e.storeId ?? null,
    details: e.details ?? {},
  };
}
