import sharp from "sharp";
import type { Rect, RgbImage } from "./image.ts";

// Stored frames must be safe by construction, not only where the detector found a face: it misses
// about 1 in 6 faces of 20 px and more, and more on scenes it was not tuned on. So the whole frame
// is first pixelated to at most FLOOR_BLOCKS blocks along its longer side (a floor no face escapes),
// then every detected face box (plus half its size on each side) is filled with neutral grey: a 6x6
// mosaic, or even the box's mean colour, kept enough (layout, skin tone) for the embedding to match
// another photo of the same person.
// `npm run bench:stored-frames` measures how many ground-truth faces of ../shared/faces stay
// recognisable in a stored frame (README "Stored frames"); FLOOR_BLOCKS is set from it.
export const FLOOR_BLOCKS = 24;
const GREY = 128;

function pixelate(data: Buffer, width: number, x0: number, y0: number, x1: number, y1: number, block: number): void {
  for (let by = y0; by < y1; by += block) {
    for (let bx = x0; bx < x1; bx += block) {
      const ex = Math.min(bx + block, x1),
        ey = Math.min(by + block, y1);
      const sum = [0, 0, 0];
      let n = 0;
      for (let y = by; y < ey; y++)
        for (let x = bx; x < ex; x++) {
          const i = (y * width + x) * 3;
          sum[0]! += data[i]!;
          sum[1]! += data[i + 1]!;
          sum[2]! += data[i + 2]!;
          n++;
        }
      for (let y = by; y < ey; y++)
        for (let x = bx; x < ex; x++) {
          const i = (y * width + x) * 3;
          data[i] = sum[0]! / n;
          data[i + 1] = sum[1]! / n;
          data[i + 2] = sum[2]! / n;
        }
    }
  }
}

/** The pixels of a stored frame: the whole-frame floor, then each face box. `floorBlocks` 0 = no floor. */
export function redactPixels(
  img: RgbImage,
  boxes: Rect[],
  opts: { margin?: number; floorBlocks?: number } = {},
): Buffer {
  const margin = opts.margin ?? 0.5;
  const floorBlocks = opts.floorBlocks ?? FLOOR_BLOCKS;
  const data = Buffer.from(img.data);
  if (floorBlocks > 0)
    pixelate(
      data,
      img.width,
      0,
      0,
      img.width,
      img.height,
      Math.max(2, Math.ceil(Math.max(img.width, img.height) / floorBlocks)),
    );
  for (const b of boxes) {
    const x0 = Math.max(0, Math.floor(b.x - b.w * margin)),
      y0 = Math.max(0, Math.floor(b.y - b.h * margin));
    const x1 = Math.min(img.width, Math.ceil(b.x + b.w * (1 + margin))),
      y1 = Math.min(img.height, Math.ceil(b.y + b.h * (1 + margin)));
    for (let y = y0; y < y1; y++) data.fill(GREY, (y * img.width + x0) * 3, (y * img.width + x1) * 3);
  }
  return data;
}

/** Irreversibly redacts a frame for storage (floor + face boxes) and re-encodes it as JPEG. */
export async function redactFaces(
  img: RgbImage,
  boxes: Rect[],
  opts: { margin?: number; floorBlocks?: number } = {},
): Promise<Buffer> {
  return sharp(redactPixels(img, boxes, opts), { raw: { width: img.width, height: img.height, channels: 3 } })
    .jpeg({ quality: 80 })
    .toBuffer();
}
