import { describe, expect, it } from "vitest";
import { Gallery, isMatch, type MatchResult } from "./gallery.ts";

// The naive scan the gallery had before the int8 first pass: every row, in order, same arithmetic.
function naive(rows: { id: string; v: Float32Array }[], q: Float32Array): MatchResult {
  let b1 = -Infinity,
    b2 = -Infinity,
    i1 = -1,
    i2 = -1;
  rows.forEach(({ v }, r) => {
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let k = 0; k < v.length; k += 4) {
      s0 += v[k]! * q[k]!;
      s1 += v[k + 1]! * q[k + 1]!;
      s2 += v[k + 2]! * q[k + 2]!;
      s3 += v[k + 3]! * q[k + 3]!;
    }
    const s = s0 + s1 + s2 + s3;
    if (s > b1) {
      b2 = b1;
      i2 = i1;
      b1 = s;
      i1 = r;
    } else if (s > b2) {
      b2 = s;
      i2 = r;
    }
  });
  return {
    best: i1 >= 0 ? { id: rows[i1]!.id, score: b1 } : undefined,
    second: i2 >= 0 ? { id: rows[i2]!.id, score: b2 } : undefined,
  };
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
const normed = (v: Float32Array) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};

describe("gallery int8 first pass", () => {
  it("gives exactly the naive scan's best, second and scores on random data with ties, after removals", () => {
    const rand = rng(15);
    const dim = 512;
    const vec = () => normed(Float32Array.from({ length: dim }, () => rand() - 0.5));
    const rows: { id: string; v: Float32Array }[] = [];
    const g = new Gallery(dim);
    const put = (id: string, v: Float32Array) => {
      const at = rows.findIndex((r) => r.id === id);
      if (at >= 0) rows[at] = { id, v };
      else rows.push({ id, v });
      g.add(id, v);
    };
    for (let i = 0; i < 3000; i++) put(`u${i}`, vec());
    // Ties: the same template under several ids, one of them far down the gallery.
    const twin = vec();
    for (const id of ["t0", "u17", "u2500", "t1"]) put(id, twin);
    // Removals move the last row into the hole, as the gallery does.
    for (const id of ["u5", "u900", "t0"]) {
      const at = rows.findIndex((r) => r.id === id);
      const last = rows.pop()!;
      if (at < rows.length) rows[at] = last;
      g.remove(id);
    }
    expect(g.size).toBe(rows.length);
    const near = (v: Float32Array, eps: number) => normed(v.map((x) => x + (rand() - 0.5) * eps));
    const probes = [
      twin,
      near(twin, 0.01),
      near(rows[42]!.v, 0.05),
      near(rows[42]!.v, 2),
      ...Array.from({ length: 20 }, vec),
    ];
    let matched = 0,
      refusedByMargin = 0;
    for (const q of probes) {
      const want = naive(rows, q);
      const got = g.match(q);
      expect(got).toEqual(want);
      for (const [thr, margin] of [
        [0.45, 0.05],
        [0.1, 0],
        [0.1, 0.02],
      ] as const) {
        expect(isMatch(got, thr, margin)).toBe(isMatch(want, thr, margin));
        if (isMatch(got, thr, margin)) matched++;
        else if (got.best && got.best.score >= thr) refusedByMargin++;
      }
    }
    // The cases exercise both sides of the rule: a tie (twin) is refused by the margin, a near copy matches.
    expect(g.match(twin).best!.score).toBe(g.match(twin).second!.score);
    expect(matched).toBeGreaterThan(0);
    expect(refusedByMargin).toBeGreaterThan(0);
  });

  it("agrees with the naive scan on all-equal scores and on a gallery that only just uses the first pass", () => {
    const dim = 16;
    const g = new Gallery(dim, 4);
    const rows: { id: string; v: Float32Array }[] = [];
    const rand = rng(7);
    for (let i = 0; i < 700; i++) {
      const v = new Float32Array(dim);
      v[i % 3] = 1; // many exact ties
      if (i % 5 === 0) v[5] = rand();
      rows.push({ id: `r${i}`, v });
      g.add(`r${i}`, v);
    }
    for (const q of [
      Float32Array.from({ length: dim }, (_, k) => (k === 0 ? 1 : 0)),
      Float32Array.from({ length: dim }, () => rand() - 0.5),
    ]) {
      expect(g.match(q)).toEqual(naive(rows, q));
    }
  });
});
