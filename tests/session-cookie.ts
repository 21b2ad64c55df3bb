// A signed-in user without a sign-in form: the session cookie Auth.js itself would set (an
// encrypted JWT carrying the user id, session version and session id, checked by the jwt callback
// on every request). Used by the e2e fixtures' loginAs and by scripts/bench-lighthouse.ts.
import { encode } from "next-auth/jwt";

// Auth.js's session cookie on plain http (https adds the __Secure- prefix); it is also the salt of
// the encrypted JWT.
export const SESSION_COOKIE = "authjs.session-token";

export function sessionCookieValue(
  user: { id: string; email: string; sessionVersion: number },
  sid: string,
  secret = process.env.AUTH_SECRET!,
): Promise<string> {
  return encode({
    token: { sub: user.id, uid: user.id, sv: user.sessionVersion, sid, email: user.email },
    secret,
    salt: SESSION_COOKIE,
    maxAge: 60 * 60,
  });
}
