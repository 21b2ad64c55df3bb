import { db } from "../db.ts";
import type { Locale } from "../i18n/locales.ts";

/**
 * Keeps a signed-in person's language choice on their account, so that what is mailed to them
 * later, outside any request (overdue reminders, the erasure receipt), is in the language they read.
 */
export async function rememberLocale(userId: string, locale: Locale): Promise<void> {
  await db().user.updateMany({ where: { id: userId, NOT: { locale } }, data: { locale } });
}
