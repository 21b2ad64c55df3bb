import sharp from "sharp";
import type { Rect, RgbImage } from "./image.ts";

/**
 * Irreversibly pixelates every face box (plus a margin) and re-encodes as JPEG. Each box is
 * averaged down to at most 6x6 blocks, so no detail survives that could be un-blurred.
 */
export async function redactFaces(img: RgbImage, boxes: Rect[], margin = 0.25): Promise<Buffer> {
  const data = Buffer.from(img.data);
  for (const b of boxes) {
    const x0 = Math.max(0, Math.floor(b.x - b.w * margin)), y0 = Math.max(0, Math.floor(b.y - b.h * margin));
    const x1 = Math.min(img.width, Math.ceil(b.x + b.w * (1 + margin))), y1 = Math.min(img.height, Math.ceil(b.y + b.h * (1 + margin)));
    const block = Math.max(2, Math.ceil(Math.max(x1 - x0, y1 - y0) / 6));
    for (let by = y0; by < y1; by += block) {
      for (let bx = x0; bx < x1; bx += block) {
        const ex = Math.min(bx + block, x1), ey = Math.min(by + block, y1);
        const sum = [0, 0, 0];
        let n = 0;
        for (let y = by; y < ey; y++) for (let x = bx; x < ex; x++) {
          const i = (y * img.width + x) * 3;
          sum[0]! += data[i]!; sum[1]! += data[i + 1]!; sum[2]! += data[i + 2]!;
          n++;
        }
        for (let y = by; y < ey; y++) for (let x = bx; x < ex; x++) {
          const i = (y * img.width + x) * 3;
          data[i] = sum[0]! / n; data[i + 1] = sum[1]! / n; data[i + 2] = sum[2]! / n;
        }
      }
    }
  }
  return sharp(data, { raw: { width: img.width, height: img.height, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
}
