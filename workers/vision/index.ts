// The vision pipeline's public API (CPU, onnxruntime-node + sharp):
//   decodeImage(buf)                 -> RgbImage (throws InvalidImageError on corrupt/oversized input)
//   detectFaces(img, opts?)          -> ScoredBox[] (whole frame + overlapping tiles, NMS-merged)
//   facePoints(img, box)             -> five points (eyes, nose, mouth corners) from 68 landmarks
//   qualityGate(img, box, five)      -> { ok, reason?: small | pose | blur }
//   embedAligned(img, five)          -> Float32Array(512), L2-normalised
//   Gallery / isMatch                -> best and second-best match, threshold + margin
//   livenessScore(img, box)          -> 0..1, for enrolment selfies
//   estimateAgeGender(img, box)      -> { ageBand, gender } (only for consenting, recognised shoppers)
//   redactFaces(img, boxes)          -> JPEG for storage: whole frame pixelated, face boxes more
// Images and embeddings stay in memory; nothing here logs or persists them (invariants 1, 2, 8).
import type { Rect, RgbImage } from "./image.ts";
import { fivePoints, landmarks68, type Point } from "./landmarks.ts";

export { decodeImage, InvalidImageError, type RgbImage, type Rect } from "./image.ts";
export { detectFaces, detectConfirmedFaces, type DetectOptions } from "./detect.ts";
export { qualityGate, type Quality } from "./quality.ts";
export { embedAligned, cosine, MODEL_VERSION } from "./embed.ts";
export { Gallery, isMatch, type MatchResult } from "./gallery.ts";
export { livenessScore, estimateAgeGender } from "./attributes.ts";
export { redactFaces } from "./redact.ts";
export { verifyModels } from "./models.ts";
export { visionConfig } from "../../lib/vision/config.ts";
export type { ScoredBox } from "./boxes.ts";
export type { Point } from "./landmarks.ts";

export async function facePoints(img: RgbImage, box: Rect): Promise<Point[]> {
  return fivePoints(await landmarks68(img, box));
}
