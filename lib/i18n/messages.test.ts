import { describe, expect, it } from "vitest";
import { LOCALES } from "./locales.ts";
import { messages } from "./messages.ts";

function shape(v: unknown, prefix = ""): string[] {
  if (v && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => shape(x, `${prefix}${k}.`));
  return [`${prefix}:${typeof v}`];
}

describe("messages", () => {
  it("every locale has every message, of the same kind, and none is empty", () => {
    const reference = shape(messages("en")).sort();
    for (const l of LOCALES) {
      expect(shape(messages(l)).sort()).toEqual(reference);
      const strings = shape(messages(l)).filter((s) => s.endsWith(":string"));
      expect(strings.length).toBeGreaterThan(50);
    }
  });
});
