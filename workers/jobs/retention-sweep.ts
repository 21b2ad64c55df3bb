import { db } from "../../lib/db.ts";

/**
 * Deletes what has outlived its purpose. Safe to run any number of times. This first part covers
 * authentication leftovers: expired one-time sign-in tokens and expired sessions.
 */
export async function retentionSweep(now = new Date()) {
  const [tokens, sessions] = await db().$transaction([
    db().verificationToken.deleteMany({ where: { expires: { lt: now } } }),
    db().session.deleteMany({ where: { expires: { lt: now } } }),
  ]);
  return { verificationTokens: tokens.count, sessions: sessions.count };
}
