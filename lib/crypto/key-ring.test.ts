import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, parseKeyRing, seal } from "./key-ring.ts";

const k1 = randomBytes(32).toString("base64");
const k2 = randomBytes(32).toString("base64");

describe("key ring (AES-256-GCM)", () => {
  it("round-trips, and old rows stay readable after rotating to a new key", () => {
    const before = parseKeyRing(`k1:${k1}`, "k1");
    const a = seal(Buffer.from("template-bytes"), "user-1", before);
    const after = parseKeyRing(`k1:${k1},k2:${k2}`, "k2");
    const b = seal(Buffer.from("newer"), "user-2", after);
    expect(b.keyId).toBe("k2");
    expect(open(a.sealed, a.keyId, "user-1", after).toString()).toBe("template-bytes");
    expect(open(b.sealed, b.keyId, "user-2", after).toString()).toBe("newer");
  });

  it("refuses tampered ciphertext and a row moved to another owner", () => {
    const ring = parseKeyRing(`k1:${k1}`, "k1");
    const { sealed, keyId } = seal(Buffer.from("secret"), "user-1", ring);
    expect(() => open(sealed, keyId, "user-2", ring)).toThrow();
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1]! ^= 1;
    expect(() => open(flipped, keyId, "user-1", ring)).toThrow();
  });

  it("names a bad configuration", () => {
    expect(() => parseKeyRing("k1:short", "k1")).toThrow(/32 bytes/);
    expect(() => parseKeyRing(`k1:${k1}`, "k9")).toThrow(/TEMPLATE_KEY_ID k9/);
  });
});
