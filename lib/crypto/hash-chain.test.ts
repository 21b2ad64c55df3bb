import { describe, expect, it } from "vitest";
import { GENESIS_HASH, canonicalJson, chainHash, verifyChain } from "./hash-chain.ts";

function build(n: number) {
  const links = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const fields = { i, purpose: "recognition", at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)) };
    const hash = chainHash(prev, fields);
    links.push({ id: String(i + 1), prevHash: prev, hash, fields });
    prev = hash;
  }
  return links;
}

describe("hash chain", () => {
  it("verifies an untouched chain", () => {
    expect(verifyChain(build(5))).toEqual({ ok: true, checked: 5 });
  });

  it("names the first tampered record", () => {
    const links = build(5);
    links[2]!.fields = { ...links[2]!.fields, purpose: "demographics" };
    const v = verifyChain(links);
    expect(v.ok).toBe(false);
    expect(v.ok === false && v.brokenAt).toBe("3");
  });

  it("detects a removed record", () => {
    const links = build(5);
    links.splice(1, 1);
    const v = verifyChain(links);
    expect(v.ok === false && v.brokenAt).toBe("3");
  });

  it("detects reordering", () => {
    const links = build(3);
    [links[0], links[1]] = [links[1]!, links[0]!];
    expect(verifyChain(links).ok).toBe(false);
  });

  it("serialises canonically regardless of key order", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 0 }] } })).toBe(
      '{"a":{"c":[3,{"e":0,"f":1}],"d":2},"b":1}',
    );
    expect(chainHash(GENESIS_HASH, { a: 1, b: 2 })).toBe(chainHash(GENESIS_HASH, { b: 2, a: 1 }));
  });
});
