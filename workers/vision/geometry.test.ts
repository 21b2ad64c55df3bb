import { describe, expect, it } from "vitest";
import { similarityTransform, TEMPLATE_112 } from "./align.ts";
import { containment, iou, nms, tiles } from "./boxes.ts";
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
