import { describe, expect, it } from "vitest";
import { visionConfig } from "../../lib/vision/config.ts";
import type { DetectedFace, VisionPort } from "../frames/vision-port.ts";
import { ENROL_MIN_FACE_PX, burstLiveness, enrolmentChecks, faceChecks } from "./enrolment-checks.ts";

// A stand-in for the ONNX pipeline: the checks' order and thresholds are what is under test.
function fakeVision(o: {
  faces?: DetectedFace[];
  tileOnlyFaces?: DetectedFace[]; // what the detector's tiles add when not asked for the whole frame only
  quality?: { ok: boolean; reason?: string };
  liveness?: number;
}): VisionPort<null, DetectedFace> & { livenessCalls: number } {
  const v = {
    livenessCalls: 0,
    modelVersion: "fake",
    decode: async () => null,
    detect: async (_img: null, opts?: { wholeFrameConfirmed?: boolean }) => [
      ...(o.faces ?? [{ box: { x: 10, y: 10, w: 120, h: 140 }, score: 0.99 }]),
      ...(opts?.wholeFrameConfirmed ? [] : (o.tileOnlyFaces ?? [])),
    ],
    quality: async () => o.quality ?? { ok: true },
    embed: async () => new Float32Array(512),
    liveness: async () => {
      v.livenessCalls++;
      return o.liveness ?? 0.99;
    },
    ageGender: async () => ({ ageBand: "25-34", gender: "female" }),
    redact: async () => Buffer.alloc(0),
    newMatcher: () => {
      throw new Error("not used");
    },
    isMatch: () => false,
  };
  return v;
}

describe("production enrolment checks", () => {
  it("refuses a face the liveness model scores below LIVENESS_MIN (a print or a screen)", async () => {
    const min = visionConfig().LIVENESS_MIN;
    const r = await enrolmentChecks(fakeVision({ liveness: min - 0.01 }), null);
    expect(r).toEqual({ ok: false, reason: "liveness", liveness: min - 0.01 });
  });

  it("accepts one large, clear face at or above LIVENESS_MIN and hands back that face", async () => {
    const min = visionConfig().LIVENESS_MIN;
    const r = await enrolmentChecks(fakeVision({ liveness: min }), null);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.face.box.w).toBe(120);
  });

  it("refuses in order with the earliest reason, without running liveness on a refused photo", async () => {
    const two = [
      { box: { x: 0, y: 0, w: 100, h: 100 }, score: 0.9 },
      { box: { x: 200, y: 0, w: 100, h: 100 }, score: 0.9 },
    ];
    const cases: [Parameters<typeof fakeVision>[0], string][] = [
      [{ faces: [] }, "no_face"],
      [{ faces: two, liveness: 0 }, "several_faces"],
      [
        { faces: [{ box: { x: 0, y: 0, w: ENROL_MIN_FACE_PX - 1, h: 200 }, score: 0.9 }], liveness: 0 },
        "face_too_small",
      ],
      [{ quality: { ok: false, reason: "blur" }, liveness: 0 }, "quality_blur"],
    ];
    for (const [o, reason] of cases) {
      const v = fakeVision(o);
      expect(await enrolmentChecks(v, null)).toEqual({ ok: false, reason });
      expect(v.livenessCalls).toBe(0);
    }
  });

  it("takes the largest face and ignores small faces in the background; a second face nearly as large is refused", async () => {
    const large = { box: { x: 100, y: 100, w: 160, h: 180 }, score: 0.95 };
    const background = { box: { x: 0, y: 0, w: 60, h: 70 }, score: 0.9 };
    const r = await enrolmentChecks(fakeVision({ faces: [background, large] }), null);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.face).toBe(large);
    const close = { box: { x: 300, y: 100, w: 120, h: 130 }, score: 0.9 };
    expect(await enrolmentChecks(fakeVision({ faces: [background, large, close] }), null)).toEqual({
      ok: false,
      reason: "several_faces",
    });
  });

  it("counts only faces the whole frame confirms: a box only the detector's tiles find is not a second face", async () => {
    const chest = { box: { x: 0, y: 150, w: 130, h: 140 }, score: 0.96 };
    const r = await enrolmentChecks(fakeVision({ tileOnlyFaces: [chest] }), null);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.face.box.w).toBe(120);
  });

  it("a burst decides liveness once, on the median of its frames: one unlucky frame does not refuse a person, a presentation low in most frames is refused", async () => {
    const min = visionConfig().LIVENESS_MIN;
    // The kiosk e2e photos: 0.04 on one frame (a 2 px shift of the box), 0.82 and 0.58 on the others.
    expect(burstLiveness([0.042, 0.822, 0.58])).toBeGreaterThanOrEqual(min);
    expect(burstLiveness([0.05, 0.9, 0.1])).toBeLessThan(min);
    expect(burstLiveness([0.2, 0.4, 0.1, 0.35])).toBeCloseTo(0.275);
    expect(burstLiveness([])).toBe(0);
    // faceChecks scores liveness without deciding; enrolmentChecks (one photo) decides.
    const low = fakeVision({ liveness: min / 2 });
    expect(await faceChecks(low, null)).toMatchObject({ ok: true, liveness: min / 2 });
    expect(await enrolmentChecks(low, null)).toMatchObject({ ok: false, reason: "liveness" });
  });
});
