import { describe, expect, it } from "vitest";
import { englishDictionary, englishLeft, stripAllowed } from "./english-left.ts";

// The rules of e2e/i18n/every-page.spec.ts: what counts as English left on a page.
describe("englishLeft", () => {
  const fr = englishDictionary("fr");
  const zh = englishDictionary("zh-CN");

  it("the dictionary holds English words the target catalogue never uses, not shared ones", () => {
    expect(fr.has("withdraw")).toBe(true);
    expect(fr.has("selfie")).toBe(false);
    expect(zh.has("the")).toBe(true);
    expect(zh.has("veil")).toBe(false);
  });

  it("finds English words in French and in Chinese text", () => {
    expect(englishLeft("Vous pouvez introduire une réclamation auprès de the CNIL.", fr, [])).toEqual(["the"]);
    expect(englishLeft("向 the CNIL 投诉。Records of processing", zh, [])).toEqual([
      "the",
      "records",
      "of",
      "processing",
    ]);
  });

  it("takes out a scheme-less URL whole before any other rule, also when Chinese runs on after it", () => {
    expect(englishLeft("投诉（www.cnil.fr/fr/plaintes）。见 https://www.cnil.fr/fr/plaintes。", zh, [])).toEqual([]);
    expect(stripAllowed("voir www.cnil.fr/fr/plaintes.", [])).not.toMatch(/plaintes|fr\b/);
  });

  it("takes out names, e-mail addresses and codes, and nothing else", () => {
    const names = ["Veil Demo Retail Ltd.", "Veil Demo Store"];
    expect(
      englishLeft(
        "处理者：Veil Demo Retail Ltd.（privacy@demo.veil.local）。GDPR request.submit requestId cmx6hf0003 v2",
        zh,
        names,
      ),
    ).toEqual([]);
    expect(englishLeft("Veil Demo Store — Approve", fr, names)).toEqual(["approve"]);
  });

  it("takes a name out only as whole words, never from inside a word", () => {
    expect(englishLeft("E-mail ou mot de passe incorrect.", fr, ["correct", "co"])).toEqual([]);
    expect(englishLeft("Caméra Entrée (E2E) active", fr, ["Entrée (E2E)"])).toEqual([]);
    expect(englishLeft("您在Veil Demo Store的选择", zh, ["Veil Demo Store"])).toEqual([]);
  });

  it("never reads a French word with an accent as English", () => {
    expect(englishLeft("Accès à vos données modèle", fr, [])).toEqual([]);
  });
});
