import { describe, expect, it } from "vitest";
import { securityHeaders } from "./security-headers.ts";

describe("security headers (issue 10, row 14)", () => {
  it("HSTS is decided at run time from APP_URL: sent for https, not for http", () => {
    expect(
      securityHeaders({ appUrl: "https://veil.example", nonce: "n", dev: false })["Strict-Transport-Security"],
    ).toBe("max-age=31536000; includeSubDomains");
    expect(
      securityHeaders({ appUrl: "http://localhost:3000", nonce: "n", dev: false })["Strict-Transport-Security"],
    ).toBeUndefined();
  });
  it("scripts run only with the request's nonce: no 'unsafe-inline' and no 'unsafe-eval' in production", () => {
    const csp = securityHeaders({ appUrl: "https://veil.example", nonce: "abc123", dev: false })[
      "Content-Security-Policy"
    ]!;
    const scripts = csp.split("; ").find((d) => d.startsWith("script-src "))!;
    expect(scripts).toContain("'nonce-abc123'");
    expect(scripts).not.toContain("'unsafe-inline'");
    expect(scripts).not.toContain("'unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
  });
});
