import { describe, expect, it } from "vitest";
import { firstLocale, negotiateLocale } from "./locales.ts";

describe("negotiateLocale", () => {
  it("honours Accept-Language quality order", () => {
    expect(negotiateLocale({ acceptLanguage: "de-DE,fr;q=0.8,en;q=0.5" })).toBe("fr");
    expect(negotiateLocale({ acceptLanguage: "zh-Hans-CN,zh;q=0.9,en;q=0.8" })).toBe("zh-CN");
    expect(negotiateLocale({ acceptLanguage: "en;q=0.2,zh-TW;q=0.9" })).toBe("zh-CN");
  });
  it("lets the explicit switch win over the browser", () => {
    expect(negotiateLocale({ cookie: "fr", acceptLanguage: "zh-CN" })).toBe("fr");
  });
  it("falls back to the store's language, then English", () => {
    expect(negotiateLocale({ acceptLanguage: "de", fallback: "zh-CN" })).toBe("zh-CN");
    expect(negotiateLocale({ cookie: "xx", acceptLanguage: "" })).toBe("en");
  });
});

describe("firstLocale (the language of a mail)", () => {
  it("takes the recipient's own choice, then the store's default, then English", () => {
    expect(firstLocale("fr", "zh-CN")).toBe("fr");
    expect(firstLocale(null, "zh-CN")).toBe("zh-CN");
    expect(firstLocale("xx", undefined)).toBe("en");
  });
});
