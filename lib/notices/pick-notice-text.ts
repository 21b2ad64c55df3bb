import type { NoticeSections } from "./default-notice-text.ts";

type Text = { locale: string; title: string; sections: unknown };

/** The notice text in the shopper's language, else the store's language, else any published one. */
export function pickNoticeText(
  texts: Text[],
  locale: string,
  storeLocale: string,
): { locale: string; title: string; sections: NoticeSections } {
  const t = texts.find((x) => x.locale === locale) ?? texts.find((x) => x.locale === storeLocale) ?? texts[0];
  if (!t) throw new Error("notice has no text");
  return { locale: t.locale, title: t.title, sections: t.sections as NoticeSections };
}
