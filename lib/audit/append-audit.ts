import type { Tx } from "../db.ts";
import { GENESIS_HASH, chainHash } from "../crypto/hash-chain.ts";

export type AuditEntry = {
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

/** Appends to the audit chain inside the caller's transaction, next to the state change it records. */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<{ id: bigint; hash: string }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`;
  const last = await tx.auditLog.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date();
  const fields = auditFields({ ...entry, at });
  const hash = chainHash(prevHash, fields);
  const row = await tx.auditLog.create({
    data: {
      at,
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
    actorId: e.actorId,
    actorRole: e.actorRole,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    storeId: e.storeId ?? null,
    details: e.details ?? {},
  };
}
