import { describe, expect, it } from "vitest";
import { pageParam } from "./page-param.ts";

describe("pageParam", () => {
  it("reads a whole page number ≥ 1 and makes anything else page 1", () => {
    expect(pageParam("3")).toBe(3);
    expect(pageParam(undefined)).toBe(1);
    for (const junk of ["0", "-2", "1.5", "abc", "", "1e400", "9007199254740993", ["2", "3"]])
      expect(pageParam(junk), String(junk)).toBe(1);
  });
});
