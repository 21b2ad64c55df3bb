import type { RgbImage } from "./image.ts";
import type { Point } from "./landmarks.ts";
import { alignedTensor } from "./align.ts";
import { ort, session } from "./models.ts";

export const MODEL_VERSION = "fr_feature@faceplugin-0.0.1/align5";

export function l2normalize(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  n = Math.sqrt(n) || 1;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / n;
  return out;
}

/** 512-d L2-normalised embedding of the face aligned on its five points. */
export async function embedAligned(img: RgbImage, five: Point[]): Promise<Float32Array> {
  const s = await session("feature");
  const out = await s.run({ input: new ort.Tensor("float32", alignedTensor(img, five), [1, 3, 112, 112]) });
  return l2normalize(out.output!.data as Float32Array);
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
