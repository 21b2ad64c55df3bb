import type { Tx } from "../db.ts";

// Erasure and the jobs that write a shopper's data (export, enrolment) serialise on one lock per
// shopper: a job's final write either commits before erasure starts (and erasure deletes it) or
// sees the erasure and writes nothing. Held until the caller's transaction ends.
export async function lockSubject(tx: Tx, userId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"subject:" + userId}))`;
}

/** An erasure of this shopper is approved or running: nothing new may be written about them. */
export async function erasureUnderway(tx: Tx, userId: string): Promise<boolean> {
  return (
    (await tx.dataRequest.count({
      where: { userId, kind: "ERASURE", status: { in: ["APPROVED", "IN_PROGRESS", "FAILED"] } },
    })) > 0
  );
}
