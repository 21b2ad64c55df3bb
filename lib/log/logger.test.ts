import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

describe("log redaction (invariant 8)", () => {
  it("redacts personal and biometric fields and scrubs addresses and numbers from messages", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const log = createLogger(sink);
    log.info(
      { email: "ann@example.com", user: { embedding: [0.1, 0.2], id: "u1" }, jpeg: "AAAA" },
      "signed in ann@example.com from +44 20 7946 0958",
    );
    log.error({ userId: "u2" }, "failed for bob@example.org");
    const out = lines.join("");
    expect(out).toContain('"email":"[redacted]"');
    expect(out).toContain('"embedding":"[redacted]"');
    expect(out).toContain('"jpeg":"[redacted]"');
    expect(out).toContain("signed in [email] from [phone]");
    expect(out).toContain("failed for [email]");
    expect(out).toContain('"userId":"u2"');
    expect(out).toContain('"id":"u1"');
    expect(out).not.toMatch(/ann@|bob@|7946/);
  });
});
