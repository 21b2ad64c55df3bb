import { cropToTensor, type Rect, type RgbImage } from "./image.ts";
import { ort, session } from "./models.ts";

export type Point = [number, number];

/** 68 landmarks in frame pixels, from a 64x64 grey crop of the face box. */
export async function landmarks68(img: RgbImage, box: Rect): Promise<Point[]> {
  const input = cropToTensor(img, box, 64, 64, (v) => v / 256, true);
  const s = await session("landmark");
  const out = await s.run({ input: new ort.Tensor("float32", input, [1, 1, 64, 64]) });
  const d = out.output!.data as Float32Array;
  const pts: Point[] = [];
  for (let i = 0; i < 68; i++) pts.push([d[i * 2]! * box.w + box.x, d[i * 2 + 1]! * box.h + box.y]);
  return pts;
}

const mean = (pts: Point[], idx: number[]): Point => [
  idx.reduce((a, i) => a + pts[i]![0], 0) / idx.length,
  idx.reduce((a, i) => a + pts[i]![1], 0) / idx.length,
];

/** Eye centres, nose tip, mouth corners (the 5-point template's order). */
export function fivePoints(p: Point[]): Point[] {
  return [mean(p, [37, 38, 40, 41]), mean(p, [43, 44, 46, 47]), p[30]!, mean(p, [48, 60]), mean(p, [54, 64])];
}
