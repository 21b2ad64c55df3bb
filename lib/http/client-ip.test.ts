import { describe, expect, it } from "vitest";
import { appEnvSchema } from "../env.ts";
import { clientIpBehind } from "./client-ip.ts";

// X-Forwarded-For as scripts/app-server.ts hands it to Next.js: the socket's peer is the last entry.
const xff = (...entries: string[]) => new Headers({ "x-forwarded-for": entries.join(", ") });

describe("clientIp (issue 10, row 6)", () => {
  it("no proxy (0 hops): the socket's peer, whatever the client put before it", () => {
    expect(clientIpBehind(xff("192.0.2.7"), 0)).toBe("192.0.2.7");
    expect(clientIpBehind(xff("10.6.6.6", "198.51.100.1", "192.0.2.7"), 0)).toBe("192.0.2.7");
  });

  it("N trusted proxies: the entry N places left of the peer; the client's own entries are never used", () => {
    // client claims 10.6.6.6; proxy 1 saw 203.0.113.5; the app's peer is proxy 1 (192.0.2.1).
    expect(clientIpBehind(xff("10.6.6.6", "203.0.113.5", "192.0.2.1"), 1)).toBe("203.0.113.5");
    expect(clientIpBehind(xff("10.6.6.6", "203.0.113.5", "192.0.2.2", "192.0.2.1"), 2)).toBe("203.0.113.5");
  });

  it("a chain shorter than the hops promise did not come through the proxies: only the peer is believed", () => {
    expect(clientIpBehind(xff("192.0.2.7"), 1)).toBe("192.0.2.7");
    expect(clientIpBehind(xff("10.6.6.6", "192.0.2.7"), 2)).toBe("192.0.2.7");
  });

  it("an IPv4 peer on a dual-stack socket is the same client as the address a proxy writes", () => {
    expect(clientIpBehind(xff("::ffff:192.0.2.7"), 0)).toBe("192.0.2.7");
    expect(clientIpBehind(xff("2001:DB8::1"), 0)).toBe("2001:db8::1");
    expect(clientIpBehind(new Headers(), 0)).toBe("unknown");
  });

  it("TRUSTED_PROXY_HOPS is a whole number from 0 to 10", () => {
    const hops = appEnvSchema.shape.TRUSTED_PROXY_HOPS;
    expect(hops.parse(undefined)).toBe(0);
    expect(hops.parse("3")).toBe(3);
    for (const bad of ["-1", "11", "1.5", "one"]) expect(hops.safeParse(bad).success, bad).toBe(false);
  });
});
