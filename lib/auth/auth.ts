import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { PrismaAdapter } from "@auth/prisma-adapter";
import { z } from "zod";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { LOCALE_COOKIE, negotiateLocale } from "../i18n/locales.ts";
import { sendSignInMail } from "./send-sign-in-mail.ts";
import { verifyPassword } from "./password.ts";
import { logError } from "../log/log-error.ts";

// Auth.js configuration. Shoppers sign in with a one-time e-mail link; staff with e-mail and a
// scrypt-hashed password. Sessions are JWTs (Credentials needs them); every handler still loads
// the user from the database (lib/auth/current-user.ts), so an erased or demoted user loses access
// at once.

const staffCredentials = z.object({ email: z.string().email().max(320), password: z.string().min(1).max(200) });

function localeFromRequest(request: Request | undefined) {
  const cookie = request?.headers.get("cookie")?.match(new RegExp(`${LOCALE_COOKIE}=([^;]+)`))?.[1];
  return negotiateLocale({ cookie: cookie ? decodeURIComponent(cookie) : null, acceptLanguage: request?.headers.get("accept-language") });
}

// Lazy: env and the database are only touched when a request needs them, not at build time.
export const { handlers, auth, signIn, signOut } = NextAuth((): NextAuthConfig => ({
  secret: env().AUTH_SECRET,
  trustHost: true,
  adapter: PrismaAdapter(db() as never),
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
      maxAge: 24 * 60 * 60,
      async sendVerificationRequest({ identifier, url, request }) {
        await sendSignInMail(identifier, url, localeFromRequest(request));
      },
    },
    Credentials({
      id: "staff",
      name: "Staff",
      credentials: { email: {}, password: {} },
      async authorize(raw) {
        const parsed = staffCredentials.safeParse(raw);
        if (!parsed.success) throw new CredentialsSignin();
        const user = await db().user.findUnique({ where: { email: parsed.data.email.toLowerCase() } });
        if (!user?.passwordHash || user.role === "SHOPPER") throw new CredentialsSignin();
        if (!(await verifyPassword(parsed.data.password, user.passwordHash))) throw new CredentialsSignin();
        return { id: user.id, email: user.email, name: user.name };
      },
    }),
  ],
  callbacks: {
    async signIn({ user, account }) {
      // Staff accounts must use their password: an e-mail link alone must not open the console.
      if (account?.provider === "email" && user.id) {
        const existing = await db().user.findUnique({ where: { id: user.id }, select: { role: true } });
        if (existing && existing.role !== "SHOPPER") return false;
      }
      return true;
    },
    jwt({ token, user }) {
      if (user?.id) token.uid = user.id;
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") session.user.id = token.uid;
      return session;
    },
  },
}));
