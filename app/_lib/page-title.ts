import type { Metadata } from "next";
import type { Messages } from "@/lib/i18n/messages.ts";
import { t } from "./locale.ts";

/**
 * A page's metadata: a <title> naming what the page shows, in the reader's language, then the
 * product (WCAG 2.4.2). `fallback` is the store's default language on store pages.
 */
export async function pageTitle(name: (m: Messages) => string, fallback?: string): Promise<Metadata> {
  const { m } = await t(fallback);
  return { title: m.meta.title(name(m)) };
}
