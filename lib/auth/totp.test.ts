import { describe, expect, it } from "vitest";
import { verify } from "otplib";
import {
  hashRecoveryCode,
  isRecoveryShaped,
  isTotpShaped,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  totpCode,
  totpUri,
} from "./totp.ts";

describe("totp helpers", () => {
  it("codes are the authenticator apps' (RFC 6238: 6 digits, 30 s, SHA-1) and the URI names Veil and the account", async () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const code = await totpCode(secret, 1_800_000_000);
    expect(code).toMatch(/^\d{6}$/);
    expect((await verify({ secret, token: code, epoch: 1_800_000_015 })).valid).toBe(true);
    expect((await verify({ secret, token: code, epoch: 1_800_000_045 })).valid).toBe(false);
    const uri = new URL(totpUri("a@b.test", secret));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe(secret);
    expect(uri.searchParams.get("issuer")).toBe("Veil");
  });

  it("recovery codes: ten distinct, 60 bits each, typed in any case with or without dashes", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    const c = codes[0]!;
    expect(hashRecoveryCode(c.toUpperCase().replace(/-/g, " "))).toBe(hashRecoveryCode(c));
    expect(hashRecoveryCode(c)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode(c)).not.toContain(normaliseRecoveryCode(c));
    expect(isRecoveryShaped(c) && !isTotpShaped(c)).toBe(true);
    expect(isTotpShaped("123456") && !isRecoveryShaped("123456")).toBe(true);
  });
});
