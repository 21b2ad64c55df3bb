import { describe, expect, it } from "vitest";
import { LOCALES, type Locale } from "./locales.ts";
import { messages } from "./messages.ts";

// Every message as [dotted key, value]; a message that is a function is called with one distinct
// marker per parameter, so its wording can be compared and its placeholders checked.
type Leaf = { key: string; kind: string; text: string; markers: string[] };
function leaves(v: unknown, prefix = ""): Leaf[] {
  if (v && typeof v === "object")
    return Object.entries(v).flatMap(([k, x]) => leaves(x, prefix ? `${prefix}.${k}` : k));
  if (typeof v === "function") {
    const markers = Array.from({ length: v.length }, (_, i) => `⟦${i}⟧`);
    return [{ key: prefix, kind: "function", text: String((v as (...a: unknown[]) => unknown)(...markers)), markers }];
  }
  return [{ key: prefix, kind: typeof v, text: String(v), markers: [] }];
}

// Keys whose text is the same in every language: names, codes and units only, each with why.
const SAME_IN_EVERY_LANGUAGE: Record<string, string> = {
  appName: "the product's name",
  "meta.title": "the page's own name, then the product's name",
  "mail.overdueLine": "a date, a translated status and a link, joined by dashes",
  "staff.dashboard.share": "a number and its share, in parentheses",
};

const byKey = (l: Locale) => new Map(leaves(messages(l)).map((x) => [x.key, x]));
const en = byKey("en");

describe("messages", () => {
  it("the English catalogue is not trivially small", () => {
    expect(en.size).toBeGreaterThan(150);
  });

  for (const locale of LOCALES) {
    it(`${locale}: has exactly the English keys, of the same kind`, () => {
      const mine = byKey(locale);
      expect([...mine.keys()].sort()).toEqual([...en.keys()].sort());
      for (const [k, x] of mine) expect({ k, kind: x.kind }).toEqual({ k, kind: en.get(k)!.kind });
    });

    it(`${locale}: no message is empty or blank, and every placeholder is used`, () => {
      const bad = [...byKey(locale).values()].filter((x) =>
        x.kind !== "string" && x.kind !== "function"
          ? true
          : x.text.replace(/⟦\d+⟧/g, "").trim() === "" || x.markers.some((m) => !x.text.includes(m)),
      );
      expect(bad.map((x) => `${x.key}: ${JSON.stringify(x.text)}`)).toEqual([]);
    });
  }

  for (const locale of LOCALES.filter((l) => l !== "en")) {
    it(`${locale}: no message is left in English (unless it is a name, code or unit on the allow-list)`, () => {
      const untranslated = [...byKey(locale).values()].filter(
        (x) => !(x.key in SAME_IN_EVERY_LANGUAGE) && x.text.trim() === en.get(x.key)?.text.trim(),
      );
      expect(untranslated.map((x) => `${x.key}: ${JSON.stringify(x.text)}`)).toEqual([]);
    });
  }

  it("the allow-list names only keys that exist", () => {
    for (const k of Object.keys(SAME_IN_EVERY_LANGUAGE)) expect(en.has(k), k).toBe(true);
  });
});
