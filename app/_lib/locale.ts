import { cookies, headers } from "next/headers";
import { LOCALE_COOKIE, negotiateLocale, type Locale } from "@/lib/i18n/locales.ts";
import { messages } from "@/lib/i18n/messages.ts";

/** The request's locale: the visible switch (cookie), then Accept-Language, then the store's default. */
export async function requestLocale(fallback?: string): Promise<Locale> {
  const [c, h] = await Promise.all([cookies(), headers()]);
  return negotiateLocale({ cookie: c.get(LOCALE_COOKIE)?.value, acceptLanguage: h.get("accept-language"), fallback });
}

export async function t(fallback?: string) {
  const locale = await requestLocale(fallback);
  return { locale, m: messages(locale) };
}
