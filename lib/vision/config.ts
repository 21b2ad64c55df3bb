import { z } from "zod";
import { settingsOnce } from "../config/parse-settings.ts";

// Vision settings, validated once. Separate from lib/env.ts (which includes them) so the
// evaluation and benchmark commands run without a database or Redis configured.
export const visionEnvSchema = z.object({
  MODELS_DIR: z.string().default("models").describe("where `npm run models:fetch` puts the model files"),
  FACES_DIR: z
    .string()
    .default("../shared/faces")
    .describe("face photos with ground truth: evaluation, benches, tests and the demo camera"),
  VISION_THREADS: z.coerce.number().int().positive().default(1).describe("onnxruntime intra-op threads per model"),
  // Detector tiles on top of the whole frame: "auto" = tiles of the detector's 4:3 input aspect in
  // VISION_TILE_ROWS rows, as many columns as the frame's width needs (3 for 16:9, 2 for 4:3); or a
  // fixed grid, e.g. "3x2"; "0x0" = whole frame only (README "Detector: methods tried").
  VISION_TILE_GRID: z
    .string()
    .regex(/^(\d+x\d+|auto)$/)
    .default("auto")
    .describe(
      "detector tiles on top of the whole frame: `auto` (4:3 tiles in VISION_TILE_ROWS rows), `3x2`, ...; `0x0` = whole frame only",
    ),
  VISION_TILE_ROWS: z.coerce
    .number()
    .int()
    .positive()
    .default(2)
    .describe("rows of tiles when VISION_TILE_GRID is `auto`"),
  VISION_TILE_OVERLAP: z.coerce.number().min(0).max(0.9).default(0.4).describe("overlap between neighbouring tiles"),
  VISION_SCORE_THRESHOLD: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.8)
    .describe("detector score a face found on the whole frame must reach"),
  // Tiles see a face at about twice the scale of the whole frame, where a true face scores lower
  // and noise is rarer: their own threshold (README "Detector: methods tried").
  VISION_TILE_SCORE_THRESHOLD: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.6)
    .describe("detector score a face found on a tile must reach"),
  // A tile box this large at the whole frame's scale (shorter side, px of the detector's 320x240
  // input) is one the whole frame sees well: kept only if the whole frame found something there.
  VISION_TILE_CHECK_PX: z.coerce
    .number()
    .nonnegative()
    .default(24)
    .describe(
      "a tile detection at least this large (px at the whole frame's detector input) needs a whole-frame box there; 0 = off",
    ),
  // Cascade: boxes scoring from this up to their threshold (whole frame or tile) get a second look
  // on an upscaled crop; at or above both thresholds the cascade is off (README "Accuracy").
  VISION_CASCADE_SCORE: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(1)
    .describe("lowest detector score sent to the cascade's second look; >= both score thresholds = off"),
  VISION_NMS_IOU: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.4)
    .describe("overlap above which two detections are one face"),
  // Detections smaller than this (shorter side, px) are dropped: below it the detector mostly sees texture.
  VISION_MIN_FACE_PX: z.coerce
    .number()
    .nonnegative()
    .default(10)
    .describe("smallest detection kept (shorter side, px)"),
  // Matching: best similarity must reach the threshold and beat the second best by the margin.
  MATCH_THRESHOLD: z.coerce
    .number()
    .min(-1)
    .max(1)
    .default(0.45)
    .describe('similarity a match must reach (README "Accuracy")'),
  MATCH_MARGIN: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.05)
    .describe("how far the best match must beat the second best"),
  // Quality gate before any match or enrolment.
  QUALITY_MIN_FACE_PX: z.coerce
    .number()
    .int()
    .positive()
    .default(64)
    .describe("smallest face (px) compared with the gallery or enrolled"),
  // Head pose limits in degrees (pose model).
  QUALITY_MAX_YAW: z.coerce
    .number()
    .positive()
    .default(35)
    .describe("largest head turn (degrees, pose model) for matching or enrolment"),
  QUALITY_MAX_PITCH: z.coerce
    .number()
    .positive()
    .default(30)
    .describe("largest head tilt (degrees, pose model) for matching or enrolment"),
  QUALITY_MIN_SHARPNESS: z.coerce
    .number()
    .nonnegative()
    .default(40)
    .describe("smallest Laplacian variance of the face, measured at most 112 px across (the recogniser's input)"),
  // Enrolment: a live face must score at least this on the liveness model (class 0 of its softmax).
  // 0.3: the package's own Live/Fake rule, and about the 10th percentile of the scores of bona fide
  // colour photos whose crop has room around the face (README "Accuracy", `npm run eval`).
  LIVENESS_MIN: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(0.3)
    .describe('liveness score an enrolment face must reach (README "Accuracy")'),
  MAX_INPUT_PIXELS: z.coerce
    .number()
    .int()
    .positive()
    .default(4096 * 4096)
    .describe("decoder pixel limit"),
});

export type VisionConfig = z.infer<typeof visionEnvSchema>;

const settings = settingsOnce(visionEnvSchema, "vision settings");

export function visionConfig(): VisionConfig {
  return settings.get();
}

/** For the evaluation command, which tries several settings in one process. */
export function overrideVisionConfig(patch: Partial<VisionConfig>): void {
  settings.override(patch);
}
