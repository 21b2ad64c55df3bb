export const LOCALES = ["en", "zh-CN", "fr"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALE_COOKIE = "veil-locale";

export const LOCALE_NAMES: Record<Locale, string> = { en: "English", "zh-CN": "中文", fr: "Français" };

export function isLocale(v: unknown): v is Locale {
  return typeof v === "string" && (LOCALES as readonly string[]).includes(v);
}

/** The first supported locale among the candidates (a recipient's own choice, then a store's default), else English. */
export function firstLocale(...candidates: (string | null | undefined)[]): Locale {
  return candidates.find(isLocale) ?? DEFAULT_LOCALE;
}

/** Matches one language tag to a supported locale: zh, zh-Hans, zh-CN -> zh-CN; fr-CA -> fr. */
export function matchLocale(tag: string): Locale | undefined {
  const t = tag.trim().toLowerCase();
  if (!t) return undefined;
  if (t.startsWith("zh")) return "zh-CN";
  if (t.startsWith("fr")) return "fr";
  if (t.startsWith("en")) return "en";
  return undefined;
}

/** Picks the locale: an explicit choice (cookie) wins, then Accept-Language by quality, then the fallback. */
export function negotiateLocale(opts: {
  cookie?: string | null;
  acceptLanguage?: string | null;
  fallback?: string;
}): Locale {
  if (isLocale(opts.cookie)) return opts.cookie;
  const ranked = (opts.acceptLanguage ?? "")
    .split(",")
    .map((part, i) => {
      const [tag, ...params] = part.split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag ?? "", q: q ? Number(q.slice(2)) || 0 : 1, i };
    })
    .filter((x) => x.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const m = matchLocale(tag);
    if (m) return m;
  }
  return isLocale(opts.fallback) ? opts.fallback : DEFAULT_LOCALE;
}
