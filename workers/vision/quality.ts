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

/** Variance of the Laplacian of the face box (grey): low means blurred. */
export function sharpness(img: RgbImage, box: Rect): number {
  const x0 = Math.max(1, Math.floor(box.x)),
    y0 = Math.max(1, Math.floor(box.y));
  const x1 = Math.min(img.width - 2, Math.ceil(box.x + box.w)),
    y1 = Math.min(img.height - 2, Math.ceil(box.y + box.h));
  const grey = (x: number, y: number) => {
    const i = (y * img.width + x) * 3;
    return 0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!;
  };
  let n = 0,
    sum = 0,
    sq = 0;
  // Sample at most ~64x64 points so big faces cost the same as small ones.
  const step = Math.max(1, Math.floor(Math.max(x1 - x0, y1 - y0) / 64));
  for (let y = y0; y <= y1; y += step) {
    for (let x = x0; x <= x1; x += step) {
      const l = grey(x - 1, y) + grey(x + 1, y) + grey(x, y - 1) + grey(x, y + 1) - 4 * grey(x, y);
      sum += l;
      sq += l * l;
      n++;
    }
  }
  if (!n) return 0;
  const mean = sum / n;
  return sq / n - mean * mean;
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
  const sharp = sharpness(img, box);
  const base = { size, yaw, pitch, sharpness: sharp };
  if (Math.abs(yaw) > cfg.QUALITY_MAX_YAW || Math.abs(pitch) > cfg.QUALITY_MAX_PITCH)
    return { ok: false, reason: "pose", ...base };
  if (sharp < cfg.QUALITY_MIN_SHARPNESS) return { ok: false, reason: "blur", ...base };
  return { ok: true, ...base };
}
