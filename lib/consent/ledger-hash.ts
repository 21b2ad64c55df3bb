import { chainHash, verifyChain, type ChainVerdict } from "../crypto/hash-chain.ts";

export type LedgerEventFields = {
  subject: string; // the shopper's pseudonym
  storeId: string;
  purposeCode: string;
  action: "GRANT" | "REVOKE";
  noticeId: string;
  noticeVersion: number;
  channel: string;
  occurredAt: Date;
};

export type StoredLedgerEvent = LedgerEventFields & { id: bigint; prevHash: string; hash: string };

export function ledgerFields(e: LedgerEventFields): Record<string, unknown> {
  return {
    subject: e.subject,
    storeId: e.storeId,
    purposeCode: e.purposeCode,
    action: e.action,
    noticeId: e.noticeId,
    noticeVersion: e.noticeVersion,
    channel: e.channel,
    occurredAt: e.occurredAt,
  };
}

export function hashLedgerEvent(prevHash: string, e: LedgerEventFields): string {
  return chainHash(prevHash, ledgerFields(e));
}

/** Verifies one shopper's chain (events in id order). */
export function verifyLedger(events: StoredLedgerEvent[]): ChainVerdict {
  return verifyChain(
    events.map((e) => ({ id: e.id.toString(), prevHash: e.prevHash, hash: e.hash, fields: ledgerFields(e) })),
  );
}
