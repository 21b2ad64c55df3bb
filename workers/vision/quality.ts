import type { Rect, RgbImage } from "./image.ts";
import type { Point } from "./landmarks.ts";
import { visionConfig } from "./config.ts";

export type Quality = { ok: boolean; reason?: "small" | "pose" | "blur"; size: number; yaw: number; sharpness: number };

/**
 * Yaw proxy from the five points: how far the nose tip sits from the midpoint of the eyes,
 * relative to the distance between the eyes (0 = frontal, ~0.5 = strong profile).
 */
export function yawFromFivePoints(five: Point[]): number {
  const [le, re, nose] = five as [Point, Point, Point];
  const eyeDist = Math.hypot(re[0] - le[0], re[1] - le[1]) || 1;
  const midX = (le[0] + re[0]) / 2;
  const midY = (le[1] + re[1]) / 2;
  // Project the nose offset on the eye axis.
  const ux = (re[0] - le[0]) / eyeDist, uy = (re[1] - le[1]) / eyeDist;
  return Math.abs(((nose[0] - midX) * ux + (nose[1] - midY) * uy) / eyeDist);
}

/** Variance of the Laplacian of the face box (grey): low means blurred. */
export function sharpness(img: RgbImage, box: Rect): number {
  const x0 = Math.max(1, Math.floor(box.x)), y0 = Math.max(1, Math.floor(box.y));
  const x1 = Math.min(img.width - 2, Math.ceil(box.x + box.w)), y1 = Math.min(img.height - 2, Math.ceil(box.y + box.h));
  const grey = (x: number, y: number) => {
    const i = (y * img.width + x) * 3;
    return 0.299 * img.data[i]! + 0.587 * img.data[i + 1]! + 0.114 * img.data[i + 2]!;
  };
  let n = 0, sum = 0, sq = 0;
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

/** The gate before any match or enrolment: big enough, near-frontal, sharp enough. */
export function qualityGate(img: RgbImage, box: Rect, five: Point[]): Quality {
  const cfg = visionConfig();
  const size = Math.min(box.w, box.h);
  const yaw = yawFromFivePoints(five);
  const sharp = sharpness(img, box);
  const base = { size, yaw, sharpness: sharp };
  if (size < cfg.QUALITY_MIN_FACE_PX) return { ok: false, reason: "small", ...base };
  if (yaw > cfg.QUALITY_MAX_YAW) return { ok: false, reason: "pose", ...base };
  if (sharp < cfg.QUALITY_MIN_SHARPNESS) return { ok: false, reason: "blur", ...base };
  return { ok: true, ...base };
}
