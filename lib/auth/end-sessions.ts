import { db } from "../db.ts";

/**
 * Ends every session of a user at once, on every device: the session version in the database moves
 * on, and the jwt callback (lib/auth/auth.ts) refuses any cookie carrying an older one. Used by
 * sign-out and by role changes; erasure removes the user row, which ends the sessions the same way.
 */
export async function endAllSessions(userId: string): Promise<void> {
  await db().$transaction([
    db().user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } }),
    // The sessions' passed second factors go with them (their cookies are refused anyway).
    db().staffSecondFactor.deleteMany({ where: { userId } }),
  ]);
}
