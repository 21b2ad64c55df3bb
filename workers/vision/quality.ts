import type { Rect, RgbImage } from "./image.ts";
import { visionConfig } from "../../lib/vision/config.ts";
import { headPose } from "./pose.ts";

export type Quality = {
  ok: boolean;
  reason?: "small" | "pose" | "blur";
  size: number;
  yaw: number;
  pitch: number;
  sharpness: number;
};

/** Faces larger than this (longer side, px) are measured for blur at this size: the recogniser's input. */
export const SHARPNESS_FACE_PX = 112;

/**
 * Grey levels of the face box, area-averaged down so that its longer side is at most `size` px;
 * a smaller face keeps its own pixels (upsampling adds no detail). Row-major, with its size.
 */
export function faceGrey(
  img: RgbImage,
  box: Rect,
  size = SHARPNESS_FACE_PX,
): { g: Float32Array; w: number; h: number } {
  const x0 = Math.max(0, Math.floor(box.x)),
    y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(img.width, Math.ceil(box.x + box.w)),
    y1 = Math.min(img.height, Math.ceil(box.y + box.h));
  const bw = Math.max(1, x1 - x0),
    bh = Math.max(1, y1 - y0);
  const scale = Math.min(1, size / Math.max(bw, bh));
  const w = Math.max(1, Math.round(bw * scale)),
    h = Math.max(1, Math.round(bh * scale));
  const g = new Float32Array(w * h);
  for (let oy = 0; oy < h; oy++) {
    const ya = y0 + Math.floor((oy * bh) / h),
      yb = Math.max(ya + 1, y0 + Math.floor(((oy + 1) * bh) / h));
    for (let ox = 0; ox < w; ox++) {
      const xa = x0 + Math.floor((ox * bw) / w),
        xb = Math.max(xa + 1, x0 + Math.floor(((ox + 1) * bw) / w));
      let sum = 0;
      for (let y = ya; y < yb; y++)
        for (let x = xa; x < xb; x++) {
          const i = (y * img.width + x) * 3;
          sum += 0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!;
        }
      g[oy * w + ox] = sum / ((yb - ya) * (xb - xa));
    }
  }
  return { g, w, h };
}

/** Variance of the Laplacian of a grey plane (its border rows and columns excluded). */
export function laplacianVariance(g: Float32Array, w: number, h: number): number {
  let n = 0,
    sum = 0,
    sq = 0;
  for (let y = 1; y < h - 1; y++)
    for (let x = 1; x < w - 1; x++) {
      const o = y * w + x;
      const l = g[o - 1]! + g[o + 1]! + g[o - w]! + g[o + w]! - 4 * g[o]!;
      sum += l;
      sq += l * l;
      n++;
    }
  if (!n) return 0;
  const mean = sum / n;
  return sq / n - mean * mean;
}

/**
 * Blur measure of the quality gate: the Laplacian variance of the face at the recogniser's scale
 * (faceGrey). Measured on the photo's own pixels, a large face scores low however sharp it is: at
 * 400 px across, one pixel is a far finer detail than the recogniser ever sees, and skin is smooth at
 * that scale (README "Enrolment and liveness").
 */
export function faceSharpness(img: RgbImage, box: Rect): number {
  const { g, w, h } = faceGrey(img, box);
  return laplacianVariance(g, w, h);
}

/** The same measure at the image's own resolution (what a stored frame shows; decode.test.ts). */
export function sharpness(img: RgbImage, box: Rect): number {
  const { g, w, h } = faceGrey(img, box, Infinity);
  return laplacianVariance(g, w, h);
}

/**
 * The gate before any match or enrolment: big enough, near-frontal (the pose model: yaw and pitch
 * in degrees), sharp enough. Cheapest check first: a small face never reaches the pose model.
 */
export async function qualityGate(img: RgbImage, box: Rect): Promise<Quality> {
  const cfg = visionConfig();
  const size = Math.min(box.w, box.h);
  if (size < cfg.QUALITY_MIN_FACE_PX) return { ok: false, reason: "small", size, yaw: NaN, pitch: NaN, sharpness: NaN };
  const { yaw, pitch } = await headPose(img, box);
  const sharp = faceSharpness(img, box);
  const base = { size, yaw, pitch, sharpness: sharp };
  if (Math.abs(yaw) > cfg.QUALITY_MAX_YAW || Math.abs(pitch) > cfg.QUALITY_MAX_PITCH)
    return { ok: false, reason: "pose", ...base };
  if (sharp < cfg.QUALITY_MIN_SHARPNESS) return { ok: false, reason: "blur", ...base };
  return { ok: true, ...base };
}
