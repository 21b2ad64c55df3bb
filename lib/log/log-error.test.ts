import { describe, expect, it } from "vitest";
import { scrub } from "./log-error.ts";

describe("scrub", () => {
  it("removes e-mail addresses and phone numbers from log text", () => {
    expect(scrub("user ann.lee+x@example.co.uk failed")).toBe("user [email] failed");
    expect(scrub("call +86 138 0013 8000 now")).toBe("call [phone] now");
    expect(scrub("ring 01.23.45.67.89 or 020 7946-0958")).toBe("ring [phone] or [phone]");
    expect(scrub("store demo id ckx123")).toBe("store demo id ckx123");
  });

  it("keeps IP addresses and dates, which are not phone numbers", () => {
    expect(scrub("connect ECONNREFUSED 127.0.0.1:40165")).toBe("connect ECONNREFUSED 127.0.0.1:40165");
    expect(scrub("from 10.200.30.4 on 2026-12-02")).toBe("from 10.200.30.4 on 2026-12-02");
  });
});
