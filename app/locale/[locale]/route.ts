import { NextResponse, type NextRequest } from "next/server";
import { LOCALE_COOKIE, isLocale } from "@/lib/i18n/locales.ts";
import { appOrigin } from "@/lib/http/app-origin.ts";
import { currentUser } from "@/lib/auth/current-user.ts";
import { rememberLocale } from "@/lib/auth/remember-locale.ts";
import { safePath } from "../../_lib/safe-path.ts";

/** The visible language switch: remembers the choice for a year (and on the account, for mails) and goes back to the page. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ locale: string }> }) {
  const { locale } = await ctx.params;
  if (!isLocale(locale)) return NextResponse.json({ error: "unknown_locale" }, { status: 404 });
  const user = await currentUser();
  if (user) await rememberLocale(user.id, locale);
  let back = safePath(req.nextUrl.searchParams.get("next"), "");
  if (!back) {
    const ref = req.headers.get("referer");
    try {
      const u = ref ? new URL(ref) : null;
      back = u && u.origin === appOrigin().origin ? safePath(u.pathname + u.search) : "/";
    } catch {
      back = "/";
    }
  }
  const res = NextResponse.redirect(new URL(back, appOrigin()), 303);
  res.cookies.set(LOCALE_COOKIE, locale, { path: "/", maxAge: 365 * 24 * 3600, sameSite: "lax", httpOnly: true });
  return res;
}
