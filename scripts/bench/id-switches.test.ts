import { describe, expect, it } from "vitest";
import { countIdSwitches, type ReplayFrame } from "./id-switches.ts";

const frame = { width: 1920, height: 1080 };
const walk = (n: number, from: number, step: number, y = 400, id = 1) =>
  Array.from({ length: n }, (_, i) => ({ id, box: { x: from + i * step, y, w: 100, h: 100 } }));

describe("ID switches", () => {
  it("counts none for a person tracked all the way", () => {
    const truth = walk(30, 100, 20);
    const frames: ReplayFrame[] = truth.map((p, i) => ({
      t: i * 100,
      truth: [p],
      detections: [{ box: p.box, score: 0.9 }],
    }));
    expect(countIdSwitches(frames, { frame, line: null })).toBe(0);
  });

  it("counts one when the track is lost and a new one takes the same person over", () => {
    const truth = walk(60, 100, 20);
    // frames 10-39 miss the person (3 s, longer than a track lives unseen): a new track picks them up
    const frames: ReplayFrame[] = truth.map((p, i) => ({
      t: i * 100,
      truth: [p],
      detections: i >= 10 && i < 40 ? [] : [{ box: p.box, score: 0.9 }],
    }));
    expect(countIdSwitches(frames, { frame, line: null })).toBe(1);
  });
});
