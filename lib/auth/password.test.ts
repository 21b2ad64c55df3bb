import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "./password.ts";

describe("password hashing", () => {
  it("verifies the right password and rejects a wrong one", async () => {
    const h = await hashPassword("correct horse");
    expect(h.startsWith("scrypt$")).toBe(true);
    expect(await verifyPassword("correct horse", h)).toBe(true);
    expect(await verifyPassword("correct horsE", h)).toBe(false);
  });
  it("salts: the same password hashes differently", async () => {
    expect(await hashPassword("x")).not.toBe(await hashPassword("x"));
  });
  it("uses N=2^17 and asks for a rehash of weaker hashes", async () => {
    const h = await hashPassword("x");
    expect(h.split("$")[1]).toBe(String(2 ** 17));
    expect(needsRehash(h)).toBe(false);
    expect(needsRehash(h.replace(`$${2 ** 17}$`, `$${2 ** 15}$`))).toBe(true);
  });
  it("rejects malformed stored hashes instead of throwing", async () => {
    expect(await verifyPassword("x", "plain")).toBe(false);
  });
});
