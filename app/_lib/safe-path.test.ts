import { describe, expect, it } from "vitest";
import { safePath } from "./safe-path.ts";

describe("safePath", () => {
  it("keeps relative paths and refuses anything that leaves the site", () => {
    expect(safePath("/s/demo/consent")).toBe("/s/demo/consent");
    expect(safePath("//evil.example")).toBe("/");
    expect(safePath("https://evil.example")).toBe("/");
    expect(safePath("/\\evil.example")).toBe("/");
    expect(safePath(undefined, "/x")).toBe("/x");
  });
});
