import type { Locale } from "./locales.ts";
import { en, type Messages } from "./messages/en.ts";
import { fr } from "./messages/fr.ts";
import { zhCN } from "./messages/zh-CN.ts";

const catalog: Record<Locale, Messages> = { en, "zh-CN": zhCN, fr };

export function messages(locale: Locale): Messages {
  return catalog[locale];
}

export type { Messages };
