import type { RgbImage } from "./image.ts";
import type { Point } from "./landmarks.ts";

/** The standard 5-point template of ArcFace-style models, in a 112x112 crop. */
export const TEMPLATE_112: Point[] = [
  [38.2946, 51.6963],
  [73.5318, 51.5014],
  [56.0252, 71.7366],
  [41.5493, 92.3655],
  [70.7299, 92.2041],
];

/** Similarity transform [a, -b, tx; b, a, ty] minimising squared error from src to dst (Umeyama). */
export function similarityTransform(src: Point[], dst: Point[]): { a: number; b: number; tx: number; ty: number } {
  const n = src.length;
  let msx = 0,
    msy = 0,
    mdx = 0,
    mdy = 0;
  for (let i = 0; i < n; i++) {
    msx += src[i]![0];
    msy += src[i]![1];
    mdx += dst[i]![0];
    mdy += dst[i]![1];
  }
  msx /= n;
  msy /= n;
  mdx /= n;
  mdy /= n;
  let sxx = 0,
    sxy = 0,
    varS = 0;
  for (let i = 0; i < n; i++) {
    const sx = src[i]![0] - msx,
      sy = src[i]![1] - msy,
      dx = dst[i]![0] - mdx,
      dy = dst[i]![1] - mdy;
    sxx += sx * dx + sy * dy; // cos part
    sxy += sx * dy - sy * dx; // sin part
    varS += sx * sx + sy * sy;
  }
  const a = sxx / varS;
  const b = sxy / varS;
  return { a, b, tx: mdx - (a * msx - b * msy), ty: mdy - (b * msx + a * msy) };
}

/** Warps the face onto the template: a 112x112 crop as a planar RGB tensor, (v-127)/128. */
export function alignedTensor(img: RgbImage, five: Point[], size = 112): Float32Array {
  const { a, b, tx, ty } = similarityTransform(five, TEMPLATE_112);
  // Inverse mapping: for each output pixel, where it comes from in the frame.
  const det = a * a + b * b;
  const ia = a / det,
    ib = -b / det;
  const out = new Float32Array(3 * size * size);
  const { data, width, height } = img;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = x - tx,
        v = y - ty;
      const fx = ia * u - ib * v;
      const fy = ib * u + ia * v;
      const o = y * size + x;
      if (fx < 0 || fy < 0 || fx > width - 1 || fy > height - 1) {
        for (let c = 0; c < 3; c++) out[c * size * size + o] = (0 - 127) / 128;
        continue;
      }
      const x0 = Math.floor(fx),
        y0 = Math.floor(fy);
      const x1 = Math.min(x0 + 1, width - 1),
        y1 = Math.min(y0 + 1, height - 1);
      const wx = fx - x0,
        wy = fy - y0;
      for (let c = 0; c < 3; c++) {
        const v00 = data[(y0 * width + x0) * 3 + c]!,
          v01 = data[(y0 * width + x1) * 3 + c]!;
        const v10 = data[(y1 * width + x0) * 3 + c]!,
          v11 = data[(y1 * width + x1) * 3 + c]!;
        const val = (v00 * (1 - wx) + v01 * wx) * (1 - wy) + (v10 * (1 - wx) + v11 * wx) * wy;
        out[c * size * size + o] = (val - 127) / 128;
      }
    }
  }
  return out;
}
