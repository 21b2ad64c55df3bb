import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import "./globals.css";
import { t } from "./_lib/locale.ts";
import { LOCALES, LOCALE_NAMES } from "@/lib/i18n/locales.ts";
import { currentUser } from "@/lib/auth/current-user.ts";
import { signOutAction } from "./signin/actions.ts";

// No default title: every page names itself (its generateMetadata, or a <title> on the not-found
// page, which has none), and a page that does not is caught by e2e/i18n/every-page.spec.ts.
export async function generateMetadata(): Promise<Metadata> {
  const { m } = await t();
  return { description: m.meta.description };
}
export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, m } = await t();
  const user = await currentUser();
  return (
    <html lang={locale}>
      <body>
        <a className="skip" href="#main">
          {m.skipToContent}
        </a>
        <header className="top">
          <Link className="brand" href="/">
            {m.appName}
          </Link>
          <nav className="lang" aria-label={m.language}>
            {LOCALES.map((l) => (
              <a key={l} href={`/locale/${l}`} lang={l} hrefLang={l} aria-current={l === locale ? "true" : undefined}>
                {LOCALE_NAMES[l]}
              </a>
            ))}
          </nav>
          {/* The account links stay together: on a phone the languages move to their own row instead
              of "Sign out" wrapping alone. */}
          {user ? (
            <div className="account">
              {user.role === "SHOPPER" ? <Link href="/me">{m.me.link}</Link> : null}
              <form action={signOutAction}>
                <button type="submit" className="secondary">
                  {m.signOut}
                </button>
              </form>
            </div>
          ) : null}
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
