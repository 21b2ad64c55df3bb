// Benchmark frames: 720p and 1080p canvases with photos of the dataset pasted in a grid, and their
// ground-truth boxes mapped into canvas pixels, so speed and recall come from the same frames.
import { readFileSync } from "node:fs";
import path from "node:path";
import sharp, { type OverlayOptions } from "sharp";

export type BenchFrame = {
  name: string;
  width: number;
  height: number;
  jpeg: Buffer;
  truth: { x: number; y: number; w: number; h: number }[];
};

export async function composeFrames(facesDir: string, count: number): Promise<BenchFrame[]> {
  const dir = path.join(facesDir, "detection");
  const gt = JSON.parse(readFileSync(path.join(dir, "boxes.json"), "utf8")) as Record<string, number[][]>;
  const files = Object.keys(gt)
    .filter((f) => gt[f]!.length > 0)
    .sort();
  const frames: BenchFrame[] = [];
  for (const [width, height] of [
    [1280, 720],
    [1920, 1080],
  ] as const) {
    for (let n = 0; n < count; n++) {
      const cols = 3,
        rows = 2;
      const cw = Math.floor(width / cols),
        ch = Math.floor(height / rows);
      const composites: OverlayOptions[] = [];
      const truth: BenchFrame["truth"] = [];
      for (let i = 0; i < cols * rows; i++) {
        const file = files[(n * cols * rows + i) % files.length]!;
        const src = readFileSync(path.join(dir, file));
        const meta = await sharp(src).metadata();
        const scale = Math.min(cw / meta.width!, ch / meta.height!);
        const w = Math.round(meta.width! * scale),
          h = Math.round(meta.height! * scale);
        const left = (i % cols) * cw,
          top = Math.floor(i / cols) * ch;
        composites.push({ input: await sharp(src).resize(w, h).toBuffer(), left, top });
        for (const [x, y, bw, bh] of gt[file]!)
          truth.push({ x: left + x! * scale, y: top + y! * scale, w: bw! * scale, h: bh! * scale });
      }
      const jpeg = await sharp({ create: { width, height, channels: 3, background: { r: 90, g: 90, b: 90 } } })
        .composite(composites)
        .jpeg({ quality: 85 })
        .toBuffer();
      frames.push({ name: `${height}p-${n}`, width, height, jpeg, truth });
    }
  }
  return frames;
}
