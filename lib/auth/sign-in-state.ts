import { auth } from "./auth.ts";
import { db } from "../db.ts";
import type { CurrentUser } from "./current-user.ts";

/**
 * Where a session stands with the second factor:
 *   "none"   the role needs none (shoppers, support staff);
 *   "ok"     this session passed it (a StaffSecondFactor row names its sid);
 *   "enrol"  an administrator without an authenticator yet: they must set one up first;
 *   "verify" an administrator who must type a code (or a recovery code) for this session.
 */
export type SecondFactor = "none" | "ok" | "enrol" | "verify";

/** Roles that must pass a second factor after their password. */
export const needsSecondFactor = (role: string) => role === "ADMIN";

export type SignInState = { user: CurrentUser; sid: string | null; factor: SecondFactor };

/**
 * The session's user and its second-factor state, re-read from the database on every call. A
 * session counts only when `factor` is "none" or "ok" (lib/auth/current-user.ts); the others may
 * reach /staff/two-factor and nothing else.
 */
export async function signInState(): Promise<SignInState | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  const sid = (session as { sid?: unknown }).sid;
  const sessionId = typeof sid === "string" ? sid : null;
  const row = await db().user.findUnique({
    where: { id },
    select: {
      id: true,
      role: true,
      email: true,
      locale: true,
      totp: { select: { enabledAt: true } },
      // A session without an id (a cookie older than the second factor) matches no row.
      secondFactors: { where: { sid: sessionId ?? "" }, select: { sid: true } },
    },
  });
  if (!row) return null;
  const { totp, secondFactors, ...user } = row;
  let factor: SecondFactor = "none";
  if (needsSecondFactor(user.role))
    factor = secondFactors.length && sessionId ? "ok" : totp?.enabledAt ? "verify" : "enrol";
  return { user, sid: sessionId, factor };
}
