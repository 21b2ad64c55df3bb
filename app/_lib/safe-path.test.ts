import { describe, expect, it } from "vitest";
import { safePath } from "./safe-path.ts";

describe("safePath", () => {
  it("keeps relative paths and refuses anything that leaves the site", () => {
    expect(safePath("/s/demo/consent")).toBe("/s/demo/consent");
    expect(safePath("//evil.example")).toBe("/");
    expect(safePath("https://evil.example")).toBe("/");
    expect(safePath("/\\evil.example")).toBe("/");
    expect(safePath(undefined, "/x")).toBe("/x");
    // URL parsing drops tab, CR and LF: "/\t/evil.example" would otherwise become "//evil.example".
    for (const c of ["\t", "\n", "\r", "\u0000", "\u007f"]) expect(safePath(`/${c}/evil.example`)).toBe("/");
    expect(safePath("/s/demo?x=1#y")).toBe("/s/demo?x=1#y");
  });
});
