import { describe, expect, it } from "vitest";
import { similarityTransform, TEMPLATE_112 } from "./align.ts";
import { aspectTiles, containment, iou, nms, seenByWholeFrame, tiles } from "./boxes.ts";
import { Gallery, isMatch } from "./gallery.ts";
import { l2normalize } from "./embed.ts";
import type { Point } from "./landmarks.ts";

describe("similarity transform", () => {
  it("recovers a known rotation, scale and shift exactly", () => {
    const angle = 0.3,
      scale = 1.7,
      tx = 12,
      ty = -5;
    const a = scale * Math.cos(angle),
      b = scale * Math.sin(angle);
    const src: Point[] = TEMPLATE_112.map(([x, y]) => [x * 2 + 40, y * 2 + 10]);
    const dst: Point[] = src.map(([x, y]) => [a * x - b * y + tx, b * x + a * y + ty]);
    const t = similarityTransform(src, dst);
    expect(t.a).toBeCloseTo(a, 9);
    expect(t.b).toBeCloseTo(b, 9);
    expect(t.tx).toBeCloseTo(tx, 6);
    expect(t.ty).toBeCloseTo(ty, 6);
  });

  it("maps the template onto itself as the identity", () => {
    const t = similarityTransform(TEMPLATE_112, TEMPLATE_112);
    expect([t.a, t.b, t.tx, t.ty].map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1, 0, 0, 0]);
  });
});

describe("boxes", () => {
  it("computes IoU and containment", () => {
    const a = { x: 0, y: 0, w: 10, h: 10 };
    expect(iou(a, a)).toBe(1);
    expect(iou(a, { x: 5, y: 0, w: 10, h: 10 })).toBeCloseTo(50 / 150);
    expect(iou(a, { x: 20, y: 20, w: 5, h: 5 })).toBe(0);
    expect(containment(a, { x: 2, y: 2, w: 4, h: 4 })).toBe(1);
  });

  it("NMS keeps the best of overlapping boxes and drops a half face inside a whole one", () => {
    const kept = nms(
      [
        { x: 0, y: 0, w: 10, h: 10, score: 0.9 },
        { x: 1, y: 1, w: 10, h: 10, score: 0.8 },
        { x: 0, y: 0, w: 5, h: 10, score: 0.95 },
        { x: 50, y: 50, w: 10, h: 10, score: 0.7 },
      ],
      0.4,
    );
    expect(kept.map((k) => [k.w, k.score])).toEqual([
      [10, 0.95],
      [10, 0.7],
    ]);
  });

  it("tiles cover the whole frame with the requested overlap", () => {
    const t = tiles(1920, 1080, 3, 2, 0.25);
    expect(t).toHaveLength(6);
    const last = t.at(-1)!;
    expect(last.x + last.w).toBeCloseTo(1920);
    expect(last.y + last.h).toBeCloseTo(1080);
    expect(t[1]!.x).toBeCloseTo(t[0]!.w * 0.75);
    expect(tiles(100, 100, 0, 0, 0.25)).toEqual([]);
  });

  it("NMS keeps the fields of the better box when a larger one that contains it takes its place", () => {
    const kept = nms(
      [
        { x: 2, y: 2, w: 8, h: 8, score: 0.9, sure: true },
        { x: 0, y: 0, w: 10, h: 10, score: 0.5, sure: false },
      ],
      0.9,
    );
    expect(kept).toEqual([{ x: 0, y: 0, w: 10, h: 10, score: 0.9, sure: true }]);
  });

  it("aspect tiles keep the detector's 4:3 and cover the frame with at least the overlap", () => {
    for (const [w, h, cols] of [
      [1920, 1080, 3],
      [1280, 720, 3],
      [400, 300, 2],
      [600, 400, 3],
      [300, 400, 1],
    ] as const) {
      const t = aspectTiles(w, h, 2, 0.4, 4 / 3);
      expect(t, `${w}x${h}`).toHaveLength(cols * 2);
      const last = t.at(-1)!;
      expect(last.x + last.w).toBeCloseTo(w);
      expect(last.y + last.h).toBeCloseTo(h);
      expect(t.every((r) => r.x >= 0 && r.y >= 0)).toBe(true);
      // 4:3 unless the frame is narrower than a 4:3 tile, then as wide as the frame
      if (cols > 1) expect(t[0]!.w / t[0]!.h).toBeCloseTo(4 / 3);
      else expect(t[0]!.w).toBe(w);
      if (cols > 1) expect(t[0]!.x + t[0]!.w - t[1]!.x).toBeGreaterThanOrEqual(0.4 * t[0]!.w - 1e-9);
      expect(t[0]!.y + t[0]!.h - t[cols]!.y).toBeCloseTo(0.4 * t[0]!.h);
    }
    // a 4:3 frame in 2 rows at 0.25 is the plain 2x2 grid
    const round = (rs: { x: number; y: number; w: number; h: number }[]) =>
      rs.map((r) => [r.x, r.y, r.w, r.h].map((v) => Math.round(v * 1e6) / 1e6));
    expect(round(aspectTiles(400, 300, 2, 0.25, 4 / 3))).toEqual(round(tiles(400, 300, 2, 2, 0.25)));
    expect(aspectTiles(400, 300, 0, 0.25, 4 / 3)).toEqual([]);
  });

  it("a tile box large enough for the whole frame needs a whole-frame box there; a small one does not", () => {
    const frame = { width: 640, height: 480 }; // half-size at the 320x240 input
    const input = { width: 320, height: 240 };
    const big = { x: 100, y: 100, w: 60, h: 60 }; // 30 px at the input
    const small = { x: 300, y: 300, w: 40, h: 40 }; // 20 px at the input
    expect(seenByWholeFrame([big, small], [], frame, input, 24)).toEqual([small]);
    expect(seenByWholeFrame([big, small], [{ x: 105, y: 100, w: 60, h: 60 }], frame, input, 24)).toEqual([big, small]);
    // a whole-frame box elsewhere does not vouch for it
    expect(seenByWholeFrame([big], [{ x: 400, y: 0, w: 60, h: 60 }], frame, input, 24)).toEqual([]);
    expect(seenByWholeFrame([big], [], frame, input, 0)).toEqual([big]);
  });
});

describe("gallery", () => {
  const unit = (i: number, dim = 8) => {
    const v = new Float32Array(dim);
    v[i] = 1;
    return v;
  };

  it("returns best and second best, and applies threshold and margin", () => {
    const g = new Gallery(8, 2);
    g.add("a", unit(0));
    g.add("b", unit(1));
    g.add("c", l2normalize(Float32Array.from([1, 1, 0, 0, 0, 0, 0, 0])));
    const r = g.match(l2normalize(Float32Array.from([1, 0.1, 0, 0, 0, 0, 0, 0])));
    expect(r.best!.id).toBe("a");
    expect(r.second!.id).toBe("c");
    expect(isMatch(r, 0.5, 0.05)).toBe(true);
    expect(isMatch(r, 0.5, 0.5)).toBe(false); // c is too close behind
    expect(isMatch(r, 0.999, 0)).toBe(false);
  });

  it("removes a template so it can never match again", () => {
    const g = new Gallery(8);
    g.add("a", unit(0));
    g.add("b", unit(1));
    g.remove("a");
    expect(g.size).toBe(1);
    expect(g.match(unit(0)).best?.id).toBe("b");
    expect(g.match(unit(0)).best!.score).toBe(0);
  });
});
