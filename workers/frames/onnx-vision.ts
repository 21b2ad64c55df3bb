import * as v from "../vision/index.ts";
import type { DetectedFace, VisionPort } from "./vision-port.ts";

// The frame and enrolment jobs' view of the ONNX pipeline. Landmarks are computed once per face
// and reused by the quality gate and the embedding.
type Face = DetectedFace & { five?: v.Point[] };

async function five(img: v.RgbImage, face: Face): Promise<v.Point[]> {
  face.five ??= await v.facePoints(img, face.box);
  return face.five;
}

export async function createVision(): Promise<VisionPort<v.RgbImage, Face>> {
  v.verifyModels(); // stop the worker at start-up, naming any missing or altered model file
  const cfg = v.visionConfig();
  return {
    modelVersion: v.MODEL_VERSION,
    decode: (jpeg) => v.decodeImage(jpeg),
    detect: async (img) => (await v.detectFaces(img)).map((b) => ({ box: { x: b.x, y: b.y, w: b.w, h: b.h }, score: b.score })),
    quality: async (img, face) => {
      // Size first: small faces are never sent through the landmark model.
      if (Math.min(face.box.w, face.box.h) < cfg.QUALITY_MIN_FACE_PX) return { ok: false, reason: "small" };
      const q = v.qualityGate(img, face.box, await five(img, face));
      return { ok: q.ok, reason: q.reason };
    },
    embed: async (img, face) => v.embedAligned(img, await five(img, face)),
    liveness: (img, face) => v.livenessScore(img, face.box),
    ageGender: (img, face) => v.estimateAgeGender(img, face.box),
    redact: (img, faces) => v.redactFaces(img, faces.map((f) => f.box)),
    newMatcher: () => new v.Gallery(),
    isMatch: (r) => v.isMatch(r, cfg.MATCH_THRESHOLD, cfg.MATCH_MARGIN),
  };
}
