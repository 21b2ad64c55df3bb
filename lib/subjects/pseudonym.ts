import { createHmac, randomBytes } from "node:crypto";
import { db, type Tx } from "../db.ts";

// A shopper's name in the append-only tables (AuditLog.subject, ConsentEvent.subject):
// HMAC-SHA256 under a random key of their own, kept only in SubjectKey. Erasure deletes that row
// (crypto-shredding): the pseudonyms left in the audit trail then match nothing and cannot be
// recomputed from the user id, the e-mail or any server secret.

const PREFIX = "sub_";

export function derivePseudonym(key: Uint8Array, userId: string): string {
  return PREFIX + createHmac("sha256", key).update(userId).digest("hex").slice(0, 40);
}

/** The shopper's pseudonym, creating their key on first use, inside the caller's transaction. */
export async function pseudonymOf(tx: Tx, userId: string): Promise<string> {
  const key = randomBytes(32);
  // Two first uses at once: one insert wins, the other reads the winner's row.
  await tx.$executeRaw`INSERT INTO "SubjectKey" ("userId", "key", "pseudonym") VALUES (${userId}, ${key}, ${derivePseudonym(key, userId)}) ON CONFLICT ("userId") DO NOTHING`;
  const row = await tx.subjectKey.findUniqueOrThrow({ where: { userId }, select: { pseudonym: true } });
  return row.pseudonym;
}

/** The pseudonym of a shopper who has one, without creating a key (read paths, erasure). */
export async function existingPseudonym(userId: string, client: Pick<Tx, "subjectKey"> = db()): Promise<string | null> {
  const row = await client.subjectKey.findUnique({ where: { userId }, select: { pseudonym: true } });
  return row?.pseudonym ?? null;
}

/** Which living shopper a pseudonym names (staff timelines); null once the subject is erased. */
export async function subjectOfPseudonym(pseudonym: string): Promise<string | null> {
  const row = await db().subjectKey.findUnique({ where: { pseudonym }, select: { userId: true } });
  return row?.userId ?? null;
}
