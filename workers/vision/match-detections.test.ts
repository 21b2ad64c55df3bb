import { describe, expect, it } from "vitest";
import { matchDetections } from "./match-detections.ts";
import { iou } from "./boxes.ts";

describe("matchDetections (score order)", () => {
  // A and B are two faces side by side. X (score 0.5) overlaps A most but also B; Y (score 0.9)
  // overlaps only A. Matching faces first gives A to X and leaves B unmatched; the score-order
  // protocol gives A to Y and B to X.
  const A = { x: 0, y: 0, w: 10, h: 10 };
  const B = { x: 6, y: 0, w: 10, h: 10 };
  const X = { x: 2, y: 0, w: 10, h: 10, score: 0.5 };
  const Y = { x: -3, y: 0, w: 10, h: 10, score: 0.9 };

  it("the case is one where the orders differ", () => {
    expect(iou(X, A)).toBeGreaterThan(iou(Y, A));
    expect(iou(Y, A)).toBeGreaterThanOrEqual(0.3);
    expect(iou(X, B)).toBeGreaterThanOrEqual(0.3);
    expect(iou(Y, B)).toBeLessThan(0.3);
  });

  it("takes detections by descending score, whatever order they come in", () => {
    for (const dets of [
      [X, Y],
      [Y, X],
    ]) {
      const r = matchDetections(dets, [A, B], 0.3);
      expect(r).toEqual({ truthMatched: [true, true], tp: 2, fp: 0 });
    }
  });

  it("a second detection of a claimed face is a false positive; nothing matches below the threshold", () => {
    expect(matchDetections([Y, { ...A, score: 0.8 }], [A], 0.3)).toEqual({ truthMatched: [true], tp: 1, fp: 1 });
    expect(matchDetections([Y], [B], 0.3)).toEqual({ truthMatched: [false], tp: 0, fp: 1 });
    expect(matchDetections([], [A], 0.3)).toEqual({ truthMatched: [false], tp: 0, fp: 0 });
  });
});
