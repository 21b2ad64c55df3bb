import * as v from "../vision/index.ts";
import type { DetectedFace, VisionPort } from "./vision-port.ts";

// The frame and enrolment jobs' view of the ONNX pipeline.
export async function createVision(): Promise<VisionPort<v.RgbImage, DetectedFace>> {
  v.verifyModels(); // stop the worker at start-up, naming any missing or altered model file
  const cfg = v.visionConfig();
  return {
    modelVersion: v.MODEL_VERSION,
    decode: (jpeg) => v.decodeImage(jpeg),
    detect: async (img, opts) =>
      (await (opts?.wholeFrameConfirmed ? v.detectConfirmedFaces(img) : v.detectFaces(img))).map((b) => ({
        box: { x: b.x, y: b.y, w: b.w, h: b.h },
        score: b.score,
      })),
    quality: async (img, face) => {
      const q = await v.qualityGate(img, face.box);
      return { ok: q.ok, reason: q.reason };
    },
    embed: async (img, face) => v.embedAligned(img, await v.facePoints(img, face.box)),
    liveness: (img, face) => v.livenessScore(img, face.box),
    ageGender: (img, face) => v.estimateAgeGender(img, face.box),
    redact: (img, faces) =>
      v.redactFaces(
        img,
        faces.map((f) => f.box),
      ),
    newMatcher: () => new v.Gallery(),
    isMatch: (r) => v.isMatch(r, cfg.MATCH_THRESHOLD, cfg.MATCH_MARGIN),
  };
}
