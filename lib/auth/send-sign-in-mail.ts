import nodemailer from "nodemailer";
import { env } from "../env.ts";
import { messages } from "../i18n/messages.ts";
import type { Locale } from "../i18n/locales.ts";
import { rateLimit } from "../rate-limit.ts";
import { appOrigin } from "../http/app-origin.ts";

/**
 * The link as mailed: Auth.js's path and query on APP_URL's origin, whatever host the request
 * named (a forged Host must never receive someone's token). A callbackUrl on another origin is
 * cut down to its path.
 */
export function linkOnAppOrigin(url: string): string {
  const origin = appOrigin();
  const given = new URL(url);
  const link = new URL(given.pathname + given.search, origin);
  const cb = link.searchParams.get("callbackUrl");
  if (cb) {
    try {
      const c = new URL(cb, origin);
      link.searchParams.set(
        "callbackUrl",
        c.origin === origin.origin ? c.href : new URL(c.pathname + c.search, origin).href,
      );
    } catch {
      link.searchParams.set("callbackUrl", origin.href);
    }
  }
  return link.href;
}

/**
 * Sends the one-time sign-in link through SMTP (SMTP_URL). Without SMTP_URL, in the demo only,
 * the link is printed to the server log so a newcomer can sign in without a mail server.
 */
export async function sendSignInMail(to: string, url: string, locale: Locale): Promise<void> {
  // At most 5 links per address per 15 minutes: stops mail-bombing someone through the form.
  await rateLimit("signin-mail-send", to, 5, 900);
  const link = linkOnAppOrigin(url);
  const t = messages(locale).signin;
  const { SMTP_URL, MAIL_FROM, NODE_ENV, VEIL_DEMO } = env();
  if (!SMTP_URL) {
    if (NODE_ENV === "test") throw new Error("SMTP_URL must be set in tests: mail goes to the test mailbox");
    // lib/env.ts already refuses production without SMTP_URL; this keeps a link out of its logs
    // should that check ever be bypassed.
    if (NODE_ENV === "production" && VEIL_DEMO !== "1") throw new Error("SMTP_URL is not set: no sign-in link is sent");
    // Demo only: the link carries the address, which logs otherwise never do (invariant 8).
    console.log(`\n[veil demo mail] No SMTP_URL configured. Sign-in link:\n${link}\n`);
    return;
  }
  const transport = nodemailer.createTransport(SMTP_URL);
  await transport.sendMail({ to, from: MAIL_FROM, subject: t.mailSubject, text: t.mailBody(link) });
}
