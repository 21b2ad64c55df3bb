import { describe, expect, it } from "vitest";
import { scrub } from "./log-error.ts";

describe("scrub", () => {
  it("removes e-mail addresses and phone numbers from log text", () => {
    expect(scrub("user ann.lee+x@example.co.uk failed")).toBe("user [email] failed");
    expect(scrub("call +86 138 0013 8000 now")).toBe("call [phone] now");
    expect(scrub("store demo id ckx123")).toBe("store demo id ckx123");
  });
});
