import { randomBytes } from "node:crypto";
import NextAuth, { AuthError, CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { z } from "zod";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { LOCALE_COOKIE, negotiateLocale } from "../i18n/locales.ts";
import { sendSignInMail } from "./send-sign-in-mail.ts";
import { dummyHash, hashPassword, needsRehash, verifyPassword } from "./password.ts";
import { clearStaffFailures, recordStaffFailure, staffSignInLockedFor } from "./staff-throttle.ts";
import { logError } from "../log/log-error.ts";
import { isAppHost } from "../http/app-origin.ts";
import { clientIp } from "../http/client-ip.ts";
import { rateLimit } from "../rate-limit.ts";
import { AppError, isAppError } from "../errors/app-error.ts";

/** Too many links asked for; Auth.js lets its own errors through to the sign-in page's action. */
class SignInLimited extends AuthError {
  static type = "AccessDenied" as const;
  static kind = "signIn" as const;
}

/** Staff sign-in refused without checking the password: too many recent failures (staff-throttle.ts). */
export class StaffLocked extends CredentialsSignin {
  code = "locked";
}

// A sign-in link works once, for 15 minutes, and only the newest one asked for (see adapter below).
export const SIGNIN_LINK_SECONDS = 15 * 60;
// Links asked for per client address per 15 minutes, whichever path the request took (the sign-in
// page's server action or Auth.js's own POST /api/auth/signin/email).
export const SIGNIN_LINKS_PER_IP = 60;

// Auth.js configuration. Shoppers sign in with a one-time e-mail link; staff with e-mail and a
// scrypt-hashed password. Sessions are JWTs (Credentials needs them); every handler still loads
// the user from the database (lib/auth/current-user.ts), so an erased or demoted user loses access
// at once.

const staffCredentials = z.object({ email: z.string().email().max(320), password: z.string().min(1).max(200) });

function localeFromRequest(request: Request | undefined) {
  const cookie = request?.headers.get("cookie")?.match(new RegExp(`${LOCALE_COOKIE}=([^;]+)`))?.[1];
  return negotiateLocale({
    cookie: cookie ? decodeURIComponent(cookie) : null,
    acceptLanguage: request?.headers.get("accept-language"),
  });
}

// Lazy: env and the database are only touched when a request needs them, not at build time.
export const { handlers, auth, signIn, signOut } = NextAuth((): NextAuthConfig => ({
  secret: env().AUTH_SECRET,
  // Auth.js may read the request's host, but proxy.ts refuses any request whose Host or
  // X-Forwarded-Host is not APP_URL's (421), and the e-mailed link is rebuilt from APP_URL anyway.
  trustHost: true,
  adapter: {
    ...PrismaAdapter(db() as never),
    // Asking for a new link voids the older ones: only the newest link in a mailbox opens it.
    async createVerificationToken(vt) {
      const [, created] = await db().$transaction([
        db().verificationToken.deleteMany({ where: { identifier: vt.identifier } }),
        db().verificationToken.create({ data: vt }),
      ]);
      return created;
    },
  },
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  pages: { signIn: "/signin", verifyRequest: "/signin/check", error: "/auth/error" },
  // Auth.js's own logger prints stacks and request details; ours keeps the error type only,
  // scrubbed of addresses (invariant 8). Expected failures (bad password, used link) are not errors.
  logger: {
    error(e) {
      const type = (e as { type?: string }).type ?? e.name;
      if (type === "CredentialsSignin" || type === "Verification") return;
      logError("auth", e, { type });
    },
    warn() {},
    debug() {},
  },
  providers: [
    {
      id: "email",
      name: "E-mail",
      type: "email",
      maxAge: SIGNIN_LINK_SECONDS,
      async sendVerificationRequest({ identifier, url, request }) {
        // proxy.ts already answered a foreign host with 421; this keeps a link from ever being
        // built for one should a request reach here some other way.
        if (!isAppHost(request.headers)) throw new AppError("forbidden", "sign-in asked for through a foreign host");
        try {
          await rateLimit("signin-ip", clientIp(request.headers), SIGNIN_LINKS_PER_IP, 900);
          await rateLimit("signin-mail", identifier, 5, 900);
        } catch (e) {
          // An Auth.js error reaches the sign-in page's action, which shows "wait 15 minutes".
          throw isAppError(e, "rate_limited") ? new SignInLimited("too many sign-in links", { cause: { err: e } }) : e;
        }
        // Staff sign in with their password. They get no link, but the answer is the shopper's
        // ("check your e-mail"), so the form does not tell staff addresses from others.
        const existing = await db().user.findUnique({
          where: { email: identifier.toLowerCase() },
          select: { role: true },
        });
        if (existing && existing.role !== "SHOPPER") return;
        await sendSignInMail(identifier, url, localeFromRequest(request));
      },
    },
    Credentials({
      id: "staff",
      name: "Staff",
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = staffCredentials.safeParse(raw);
        if (!parsed.success) throw new CredentialsSignin();
        const email = parsed.data.email.toLowerCase();
        const ip = clientIp(request.headers);
        if ((await staffSignInLockedFor(email, ip)) > 0) throw new StaffLocked();
        const user = await db().user.findUnique({ where: { email } });
        const staff = user?.passwordHash && user.role !== "SHOPPER" ? user : null;
        // The same scrypt work whether or not the account exists (no timing oracle).
        const ok = await verifyPassword(parsed.data.password, staff?.passwordHash ?? (await dummyHash()));
        if (!staff || !ok) {
          await recordStaffFailure(email, ip, staff?.id ?? null);
          throw new CredentialsSignin();
        }
        await clearStaffFailures(email, ip);
        if (needsRehash(staff.passwordHash!)) {
          await db().user.update({
            where: { id: staff.id },
            data: { passwordHash: await hashPassword(parsed.data.password) },
          });
        }
        return { id: staff.id, email: staff.email, name: staff.name };
      },
    }),
  ],
  callbacks: {
    async signIn({ user, account, email }) {
      // Staff accounts must use their password: an e-mail link alone must not open the console.
      // Asking for a link is let through (sendVerificationRequest sends none to staff) so that the
      // answer does not reveal the address; using one is refused.
      if (account?.provider === "email" && user.id && !email?.verificationRequest) {
        const existing = await db().user.findUnique({ where: { id: user.id }, select: { role: true } });
        if (existing && existing.role !== "SHOPPER") return false;
      }
      return true;
    },
    // Runs on every request that reads the session: a cookie issued under an older session version
    // (the user signed out somewhere, or their role changed) or for a user who no longer exists
    // (erased) is refused, and Auth.js clears it. Sessions are revocable although they are JWTs.
    async jwt({ token, user }) {
      if (user?.id) {
        const row = await db().user.findUnique({ where: { id: user.id }, select: { sessionVersion: true } });
        // sid names this one session: the second factor is passed per session (lib/auth/sign-in-state.ts).
        return { ...token, uid: user.id, sv: row?.sessionVersion ?? 0, sid: randomBytes(18).toString("base64url") };
      }
      if (typeof token.uid !== "string") return null;
      const row = await db().user.findUnique({ where: { id: token.uid }, select: { sessionVersion: true } });
      if (!row || row.sessionVersion !== token.sv) return null;
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      return typeof token.sid === "string" ? { ...session, sid: token.sid } : session;
    },
  },
}));
