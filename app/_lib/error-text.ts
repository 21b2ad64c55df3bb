import type { Messages } from "@/lib/i18n/messages.ts";

/**
 * The translated text for an error code that came back in a URL (`?error=<code>`). Only known codes
 * are shown; anything else (a forged `?error=` with text of its own) reads as the generic message,
 * so no page ever prints text from its URL.
 */
export function errorText(m: Messages, code: string | undefined): string | null {
  if (!code) return null;
  const known = Object.hasOwn(m.errors, code) ? (m.errors as Record<string, unknown>)[code] : undefined;
  return typeof known === "string" ? known : m.errors.generic;
}
