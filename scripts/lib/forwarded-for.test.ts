import { describe, expect, it } from "vitest";
import { withPeer } from "./forwarded-for.ts";

describe("withPeer (scripts/app-server.ts)", () => {
  it("a request without X-Forwarded-For gets the peer alone", () => {
    expect(withPeer({}, "192.0.2.7")).toBe("192.0.2.7");
    expect(withPeer({ "x-forwarded-for": "  " }, "192.0.2.7")).toBe("192.0.2.7");
  });

  it("whatever the client sent stays on the left: the rightmost entry is always the peer", () => {
    expect(withPeer({ "x-forwarded-for": "10.0.0.1, 10.0.0.2" }, "192.0.2.7")).toBe("10.0.0.1, 10.0.0.2, 192.0.2.7");
    expect(withPeer({ "x-forwarded-for": ["10.0.0.1", "10.0.0.2"] as unknown as string }, "::ffff:127.0.0.1")).toBe(
      "10.0.0.1, 10.0.0.2, ::ffff:127.0.0.1",
    );
  });

  it("a peer that cannot be named is 'unknown', so the client's last entry never stands in for it", () => {
    expect(withPeer({ "x-forwarded-for": "203.0.113.9" }, undefined)).toBe("203.0.113.9, unknown");
  });
});
