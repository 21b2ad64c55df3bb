import { describe, expect, it } from "vitest";
import { livenessBox, livenessCrop } from "./attributes.ts";
import { paddedScaledBox, scaledBox, type Rect, type RgbImage } from "./image.ts";

// The crop the liveness model's package computes, transcribed from faceplugin-face-recognition-js
// @0.0.1: lib/fr_detect.js scaleResult (squares the detector box on its height, clipped) and
// lib/fr_liveness.js alignLivenessImage (2.7x around the centre, capped, shifted inside the image).
// Sub-pixel truncation (parseInt) is left out. models/manifest.json "preprocessing" cites the same.
function packageCrop(W: number, H: number, b: Rect): Rect {
  const f = b.h,
    cx = b.x + b.w / 2,
    cy = b.y + b.h / 2;
  const x1 = Math.max(0, cx - f / 2),
    y1 = Math.max(0, cy - f / 2);
  const x2 = Math.min(W - 1, cx + f / 2),
    y2 = Math.min(H - 1, cy + f / 2);
  const [x, y, bw, bh] = [x1, y1, x2 - x1, y2 - y1];
  const scale = Math.min((H - 1) / bh, Math.min((W - 1) / bw, 2.7));
  const nw = bw * scale,
    nh = bh * scale,
    ccx = bw / 2 + x,
    ccy = bh / 2 + y;
  let l = ccx - nw / 2,
    t = ccy - nh / 2,
    r = ccx + nw / 2,
    btm = ccy + nh / 2;
  if (l < 0) {
    r -= l;
    l = 0;
  }
  if (t < 0) {
    btm -= t;
    t = 0;
  }
  if (r > W - 1) {
    l -= r - W + 1;
    r = W - 1;
  }
  if (btm > H - 1) {
    t -= btm - H + 1;
    btm = H - 1;
  }
  return { x: Math.max(l, 0), y: Math.max(t, 0), w: r - l, h: btm - t };
}

const img = (width: number, height: number): RgbImage => ({ data: new Uint8Array(width * height * 3), width, height });

describe("liveness crop matches the model's package", () => {
  const cases: [number, number, Rect][] = [
    [1280, 960, { x: 500, y: 300, w: 150, h: 190 }], // room all round: full 2.7x
    [640, 480, { x: 10, y: 40, w: 120, h: 150 }], // near the left edge: shifted inside
    [400, 600, { x: 100, y: 150, w: 200, h: 260 }], // close-up: factor capped at the image
    [150, 150, { x: 20, y: 15, w: 110, h: 125 }], // aligned face chip
  ];
  for (const [W, H, b] of cases) {
    it(`${W}x${H}, box ${b.w}x${b.h} at ${b.x},${b.y}`, () => {
      const ours = scaledBox(img(W, H), livenessBox(img(W, H), b), 2.7);
      const theirs = packageCrop(W, H, b);
      for (const k of ["x", "y", "w", "h"] as const) expect(ours[k]).toBeCloseTo(theirs[k], 6);
    });
  }

  it("is square for a box taller than wide with room around it (the unsquared box stretched the crop)", () => {
    const c = scaledBox(img(1280, 960), livenessBox(img(1280, 960), { x: 500, y: 300, w: 150, h: 190 }), 2.7);
    expect(c.w).toBeCloseTo(c.h, 6);
    expect(c.h).toBeCloseTo(190 * 2.7, 6);
  });
});

describe("liveness crop of a close-up is padded, not tightened", () => {
  it("is the package's crop wherever the package reaches the full 2.7x", () => {
    for (const [W, H, b] of [
      [1280, 960, { x: 500, y: 300, w: 150, h: 190 }],
      [640, 480, { x: 10, y: 40, w: 120, h: 150 }],
    ] as [number, number, Rect][]) {
      const ours = livenessCrop(img(W, H), b);
      const theirs = packageCrop(W, H, b);
      for (const k of ["x", "y", "w", "h"] as const) expect(ours[k]).toBeCloseTo(theirs[k], 6);
    }
  });

  it("keeps the full 2.7x square centred on an aligned face chip, reaching past all four edges", () => {
    const b = { x: 20, y: 15, w: 110, h: 125 };
    const c = livenessCrop(img(150, 150), b);
    expect(c.w).toBeCloseTo(125 * 2.7, 6);
    expect(c.h).toBeCloseTo(125 * 2.7, 6);
    expect(c.x + c.w / 2).toBeCloseTo(b.x + b.w / 2, 6);
    expect(c.y + c.h / 2).toBeCloseTo(b.y + b.h / 2, 6);
    expect(c.x).toBeLessThan(0);
    expect(c.y).toBeLessThan(0);
    expect(c.x + c.w).toBeGreaterThan(150);
    expect(c.y + c.h).toBeGreaterThan(150);
  });

  it("pads only along the axis the crop does not fit, and stays inside the image along the other", () => {
    // Portrait photo, face near the top: 2.7 x 260 = 702 is wider than 400 (centred, padded) but
    // fits in 1000 rows (shifted down inside the image, as the package shifts).
    const b = { x: 100, y: 40, w: 200, h: 260 };
    const c = livenessCrop(img(400, 1000), b);
    expect(c.w).toBeCloseTo(702, 6);
    expect(c.h).toBeCloseTo(702, 6);
    expect(c.x + c.w / 2).toBeCloseTo(200, 6);
    expect(c.y).toBe(0);
  });

  it("squares a box clipped at the image edge on its unclipped height (no stretched crop)", () => {
    // The face's square reaches past the left edge; the package would clip it to a narrower box.
    const b = { x: 0, y: 10, w: 90, h: 140 };
    const c = livenessCrop(img(160, 180), b);
    expect(c.w).toBeCloseTo(c.h, 6);
    expect(c.x + c.w / 2).toBeCloseTo(45, 6);
  });

  it("paddedScaledBox equals scaledBox wherever the full factor fits", () => {
    const b = { x: 30, y: 50, w: 40, h: 60 };
    const a = paddedScaledBox(img(400, 300), b, 2.7),
      s = scaledBox(img(400, 300), b, 2.7);
    for (const k of ["x", "y", "w", "h"] as const) expect(a[k]).toBeCloseTo(s[k], 9);
  });
});
