// Finds English left in a page rendered in another language. The dictionary is every word of the
// English catalogue that the target catalogue never uses: a word both languages share ("Support",
// "Mode", "JSON", "selfie") cannot be told apart and is not reported.
import { en } from "../lib/i18n/messages/en.ts";
import { messages } from "../lib/i18n/messages.ts";
import type { Locale } from "../lib/i18n/locales.ts";

// Every message as text; a message that is a function is called with empty arguments.
function texts(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (typeof v === "function")
    return [String((v as (...a: string[]) => unknown)(...Array.from({ length: v.length }, () => " ")))];
  if (v && typeof v === "object") return Object.values(v).flatMap(texts);
  return [];
}

// Whole words in any script, so "accès" is one word and never the English "acc"; only words in
// plain Latin letters can be English.
const words = (s: string) => (s.toLowerCase().match(/\p{L}+/gu) ?? []).filter((w) => /^[a-z]{2,}$/.test(w));

export function englishDictionary(locale: Locale): Set<string> {
  const theirs = new Set(texts(messages(locale)).flatMap(words));
  return new Set(
    texts(en)
      .flatMap(words)
      .filter((w) => !theirs.has(w)),
  );
}

/**
 * The page's text with what is allowed to stay as it is taken out, in this order: scheme-less
 * URLs first (`www.cnil.fr/fr/plaintes` would otherwise leave "fr" and "plaintes" behind), then
 * URLs, e-mail addresses, the given names (stores, controllers, cameras, the product, languages),
 * and tokens that are codes rather than words: anything with a digit, `_`, `.`, `/`, `:` or `@`
 * inside, ALL-CAPS abbreviations and camelCase identifiers.
 */
export function stripAllowed(text: string, names: string[]): string {
  // Only the characters a URL or an address can hold: in Chinese, text runs on with no space after them.
  let t = text.replace(/\bwww\.[\w\-.~:/?#@!$&*+,;=%]+/gi, " ");
  // Zero or more after the scheme: also the "https://" that the www. rule left behind.
  t = t.replace(/\b[a-z][a-z0-9+.-]*:\/\/[\w\-.~:/?#@!$&*+,;=%]*/gi, " ");
  t = t.replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, " ");
  // A name is taken out only as whole Latin-script words (Chinese may run on around it): another
  // spec's camera called "correct" must not turn the French "incorrect" into the English "in".
  for (const n of [...names].filter(Boolean).sort((a, b) => b.length - a.length)) {
    t = t.replace(
      new RegExp(
        `(?<![\\p{Script=Latin}\\p{N}])${n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{Script=Latin}\\p{N}])`,
        "gu",
      ),
      " ",
    );
  }
  return t
    .split(/\s+/)
    .map((tok) => tok.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
    .filter((tok) => !/[\d_./:@]/.test(tok) && !/^[A-Z]{2,}s?$/.test(tok) && !/^[a-z]+[A-Z]/.test(tok))
    .join(" ");
}

/** The English words left in the text, each once, in order of appearance. */
export function englishLeft(text: string, dictionary: Set<string>, names: string[]): string[] {
  return [...new Set(words(stripAllowed(text, names)).filter((w) => dictionary.has(w)))];
}
