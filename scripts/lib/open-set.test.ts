import { describe, expect, it } from "vitest";
import { visionConfig } from "../../lib/vision/config.ts";
import { isMatch, type MatchResult } from "../../workers/vision/gallery.ts";
import type { DetectedFace, VisionPort } from "../../workers/frames/vision-port.ts";
import { productionProbes, scoreOpenSet } from "./open-set.ts";

const cfg = visionConfig();
const T = cfg.MATCH_THRESHOLD;
const M = cfg.MATCH_MARGIN;

// A stand-in for the ONNX pipeline: face i's embedding carries i, the matcher answers results[i].
function fake(
  faces: DetectedFace[],
  gate: (f: DetectedFace) => { ok: boolean; reason?: string },
  results: MatchResult[],
) {
  let embeds = 0;
  const vision: VisionPort<null, DetectedFace> = {
    modelVersion: "fake",
    decode: async () => null,
    detect: async () => faces,
    quality: async (_img, f) => gate(f),
    embed: async (_img, f) => {
      embeds++;
      return Float32Array.of(faces.indexOf(f));
    },
    liveness: async () => 1,
    ageGender: async () => ({ ageBand: "25-34", gender: "female" }),
    redact: async () => Buffer.alloc(0),
    newMatcher: () => matcher,
    isMatch: (r) => isMatch(r, T, M),
  };
  const matcher = { size: 3, add: () => {}, match: (e: Float32Array) => results[e[0]!]! };
  return { vision, matcher, embeds: () => embeds };
}

const face = (w: number): DetectedFace => ({ box: { x: 0, y: 0, w, h: w }, score: 0.9 });

describe("open set on the production path", () => {
  it("a face the quality gate refuses is no probe and is never embedded", async () => {
    const faces = [face(30), face(100)];
    const f = fake(faces, (x) => (x.box.w < 64 ? { ok: false, reason: "small" } : { ok: true }), [
      {},
      { best: { id: "a", score: T - 0.1 } },
    ]);
    const out = await productionProbes(f.vision, f.matcher, null);
    expect(out).toEqual([
      { gated: false, reason: "small" },
      { gated: true, matched: false, best: T - 0.1, second: -1 },
    ]);
    expect(f.embeds()).toBe(1);
  });

  it("counts a false identification only when the threshold and the margin rule both pass", async () => {
    const faces = [face(100), face(110), face(120), face(130)];
    const f = fake(faces, () => ({ ok: true }), [
      { best: { id: "a", score: T + 0.1 }, second: { id: "b", score: T + 0.1 - M - 0.01 } }, // clear: matched
      { best: { id: "a", score: T + 0.1 }, second: { id: "b", score: T + 0.1 - M / 2 } }, // within the margin
      { best: { id: "a", score: T - 0.01 } }, // below the threshold
      { best: { id: "a", score: T } }, // at the threshold, no second template: matched
    ]);
    const out = await productionProbes(f.vision, f.matcher, null, faces);
    const s = scoreOpenSet(out, T);
    expect(s).toEqual({
      detections: 4,
      probes: 4,
      falseIdentifications: 2,
      falseIdentificationRate: 0.5,
      aboveThreshold: 3,
      refusedByGate: {},
    });
  });

  it("tallies the gate's refusals by reason and reports a rate of 0 without probes", () => {
    const s = scoreOpenSet(
      [
        { gated: false, reason: "pose" },
        { gated: false, reason: "pose" },
        { gated: false, reason: "blur" },
      ],
      T,
    );
    expect(s).toMatchObject({
      detections: 3,
      probes: 0,
      falseIdentificationRate: 0,
      refusedByGate: { pose: 2, blur: 1 },
    });
  });
});
