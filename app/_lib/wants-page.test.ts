import { describe, expect, it } from "vitest";
import { wantsPage } from "./wants-page.ts";

const req = (accept?: string) => new Request("http://veil.test/x", accept ? { headers: { accept } } : {});

describe("wantsPage", () => {
  it("is true for a browser's navigation and false for programs", () => {
    expect(wantsPage(req("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"))).toBe(true);
    expect(wantsPage(req("Text/HTML"))).toBe(true);
    for (const accept of ["*/*", "application/json", undefined]) expect(wantsPage(req(accept))).toBe(false);
  });
});
