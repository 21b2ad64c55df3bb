import { cropToTensor, paddedScaledBox, scaledBox, type Rect, type RgbImage } from "./image.ts";
import { ort, session } from "./models.ts";

function softmax(v: ArrayLike<number>): number[] {
  const m = Math.max(...Array.from(v));
  const e = Array.from(v, (x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/**
 * The box the model's package hands to its liveness crop: its detector squares every box to a side
 * of the box's height around the same centre, clipped to the image (scaleResult in
 * faceplugin-face-recognition-js@0.0.1 lib/fr_detect.js). Our detector's boxes are not squared, so
 * squaring happens here; without it the 2.7x crop is stretched horizontally to 128x128.
 */
export function livenessBox(img: RgbImage, box: Rect): Rect {
  const side = box.h;
  const cx = box.x + box.w / 2,
    cy = box.y + box.h / 2;
  const x1 = Math.max(0, cx - side / 2),
    y1 = Math.max(0, cy - side / 2);
  const x2 = Math.min(img.width - 1, cx + side / 2),
    y2 = Math.min(img.height - 1, cy + side / 2);
  return { x: x1, y: y1, w: x2 - x1, h: y2 - y1 };
}

export const LIVENESS_CROP_FACTOR = 2.7;

/**
 * The rectangle the liveness model sees. Where the package's crop reaches the full 2.7x (a photo with
 * room around the face), it is the package's crop unchanged. Where the package would cap the factor
 * at the image (a close-up or an aligned face chip), the face would fill the model's input at up to
 * 2.7 times the scale it was trained on and bona fide scores collapse (README "Enrolment and
 * liveness"); instead the crop keeps the full 2.7x square of the box's height, shifted inside the
 * image along an axis where it fits and centred on the face along one where it does not, and the
 * part outside the image repeats the edge pixels (cropToTensor). Constant grey and mirrored padding
 * were measured too and scored real faces far lower (grey: 33 of 48 colour photos below 0.3, edge
 * replicate 1; README "Enrolment and liveness").
 */
export function livenessCrop(img: RgbImage, box: Rect): Rect {
  if (livenessRoom(img, box) >= LIVENESS_CROP_FACTOR)
    return scaledBox(img, livenessBox(img, box), LIVENESS_CROP_FACTOR);
  const side = box.h;
  const square = { x: box.x + box.w / 2 - side / 2, y: box.y, w: side, h: side };
  return paddedScaledBox(img, square, LIVENESS_CROP_FACTOR);
}

/**
 * How much of the model's 2.7x crop the image itself could fill around the face: 2.7 when the
 * package's crop fits, about 1 for an aligned face chip (the rest is padding).
 */
export function livenessRoom(img: RgbImage, box: Rect): number {
  const sq = livenessBox(img, box);
  return Math.min((img.height - 1) / sq.h, (img.width - 1) / sq.w, LIVENESS_CROP_FACTOR);
}

/**
 * Probability that the selfie shows a live face (not a print or a screen). Preprocessing as the
 * package's lib/fr_liveness.js (models/manifest.json "preprocessing") except that a close-up is
 * padded rather than cropped tighter (livenessCrop): bilinear resize to 128x128, RGB, raw 0..255,
 * NCHW; score = softmax(output)[0].
 */
export async function livenessScore(img: RgbImage, box: Rect): Promise<number> {
  const input = cropToTensor(img, livenessCrop(img, box), 128, 128, (v) => v);
  const out = await (await session("liveness")).run({ input: new ort.Tensor("float32", input, [1, 3, 128, 128]) });
  // Class 0 is what the model's own package reports as the liveness score; the other two classes
  // are attack types. The development set has no attack photos, so only false rejections of live
  // selfies can be measured here (README "Accuracy").
  return softmax(out.output!.data as Float32Array)[0]!;
}

const IMAGENET_MEAN = [0.485, 0.456, 0.406];
const IMAGENET_STD = [0.229, 0.224, 0.225];
const OUTPUTS = [
  "prob_stage_1",
  "prob_stage_2",
  "prob_stage_3",
  "stage1_delta_k",
  "stage2_delta_k",
  "stage3_delta_k",
  "index_offset_stage1",
  "index_offset_stage2",
  "index_offset_stage3",
];

/** SSR-Net's soft stagewise regression, as published with the model. */
function ssrMerge(x: number[], v: number): number {
  const s = 3;
  let a = 0,
    b = 0,
    c = 0;
  for (let i = 0; i < s; i++) a += (i + x[12 + i]!) * x[i]!;
  a = a / (s * (1 + x[9]!));
  for (let i = 0; i < s; i++) b += (i + x[15 + i]!) * x[3 + i]!;
  b = b / (s * (1 + x[9]!)) / (s * (1 + x[10]!));
  for (let i = 0; i < s; i++) c += (i + x[18 + i]!) * x[6 + i]!;
  c = c / (s * (1 + x[9]!)) / (s * (1 + x[10]!)) / (s * (1 + x[11]!));
  return (a + b + c) * v;
}

async function ssr(model: "age" | "gender", img: RgbImage, box: Rect, v: number): Promise<number> {
  const input = cropToTensor(
    img,
    scaledBox(img, box, 1.4),
    64,
    64,
    (val, c) => (val / 255 - IMAGENET_MEAN[c]!) / IMAGENET_STD[c]!,
  );
  const out = await (await session(model)).run({ input: new ort.Tensor("float32", input, [1, 3, 64, 64]) });
  return ssrMerge(
    OUTPUTS.flatMap((n) => Array.from(out[n]!.data as Float32Array)),
    v,
  );
}

export function ageBand(age: number): string {
  if (age < 18) return "<18";
  if (age < 25) return "18-24";
  if (age < 35) return "25-34";
  if (age < 45) return "35-44";
  if (age < 55) return "45-54";
  if (age < 65) return "55-64";
  return "65+";
}

/** Age band and gender estimate. Callers must only ask for consenting, recognised shoppers. */
export async function estimateAgeGender(img: RgbImage, box: Rect): Promise<{ ageBand: string; gender: string }> {
  const [age, g] = await Promise.all([ssr("age", img, box, 101), ssr("gender", img, box, 1)]);
  return { ageBand: ageBand(age), gender: g >= 0.5 ? "male" : "female" };
}
