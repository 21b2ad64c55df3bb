import sharp from "sharp";
import { visionConfig } from "../../lib/vision/config.ts";

// Decoded frames are plain RGB bytes in memory. Nothing here writes to disk (invariant 1).
export type RgbImage = { data: Uint8Array; width: number; height: number };
export type Rect = { x: number; y: number; w: number; h: number };

export class InvalidImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidImageError";
  }
}

/** Decodes JPEG (or PNG) strictly: corrupt or oversized input throws InvalidImageError. */
export async function decodeImage(buf: Uint8Array): Promise<RgbImage> {
  try {
    const { data, info } = await sharp(buf, { failOn: "warning", limitInputPixels: visionConfig().MAX_INPUT_PIXELS })
      .rotate()
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new InvalidImageError(`expected 3 channels, got ${info.channels}`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
    };
  } catch (e) {
    if (e instanceof InvalidImageError) throw e;
    throw new InvalidImageError(`not a readable image: ${(e as Error).message.split("\n")[0]}`);
  }
}

/**
 * Bilinear resample of a rectangle (may extend past the image: outside reads the edge pixel)
 * into a planar float tensor, normalising each channel value with `norm`.
 */
export function cropToTensor(
  img: RgbImage,
  r: Rect,
  outW: number,
  outH: number,
  norm: (v: number, c: number) => number,
  grey = false,
): Float32Array {
  const planes = grey ? 1 : 3;
  const plane = outW * outH;
  const out = new Float32Array(planes * plane);
  const sx = r.w / outW;
  const sy = r.h / outH;
  const { data, width, height } = img;
  // The detector runs on seven such crops per frame: the column taps are the same on every row,
  // so they are worked out once, and the inner loop allocates nothing. Same arithmetic, in the
  // same order, as the per-pixel form (image.test.ts checks the output bit for bit against it).
  const xa = new Int32Array(outW);
  const xb = new Int32Array(outW);
  const wxs = new Float64Array(outW);
  for (let ox = 0; ox < outW; ox++) {
    const fx = Math.min(Math.max(r.x + (ox + 0.5) * sx - 0.5, 0), width - 1);
    const x0 = Math.floor(fx);
    xa[ox] = x0 * 3;
    xb[ox] = Math.min(x0 + 1, width - 1) * 3;
    wxs[ox] = fx - x0;
  }
  for (let oy = 0; oy < outH; oy++) {
    const fy = Math.min(Math.max(r.y + (oy + 0.5) * sy - 0.5, 0), height - 1);
    const y0 = Math.floor(fy);
    const row0 = y0 * width * 3;
    const row1 = Math.min(y0 + 1, height - 1) * width * 3;
    const wy = fy - y0;
    for (let ox = 0; ox < outW; ox++) {
      const wx = wxs[ox]!;
      const i00 = row0 + xa[ox]!,
        i01 = row0 + xb[ox]!,
        i10 = row1 + xa[ox]!,
        i11 = row1 + xb[ox]!;
      const r0 = (data[i00]! * (1 - wx) + data[i01]! * wx) * (1 - wy) + (data[i10]! * (1 - wx) + data[i11]! * wx) * wy;
      const g0 =
        (data[i00 + 1]! * (1 - wx) + data[i01 + 1]! * wx) * (1 - wy) +
        (data[i10 + 1]! * (1 - wx) + data[i11 + 1]! * wx) * wy;
      const b0 =
        (data[i00 + 2]! * (1 - wx) + data[i01 + 2]! * wx) * (1 - wy) +
        (data[i10 + 2]! * (1 - wx) + data[i11 + 2]! * wx) * wy;
      const o = oy * outW + ox;
      if (grey) out[o] = norm(0.299 * r0 + 0.587 * g0 + 0.114 * b0, 0);
      else {
        out[o] = norm(r0, 0);
        out[plane + o] = norm(g0, 1);
        out[2 * plane + o] = norm(b0, 2);
      }
    }
  }
  return out;
}

/** A square-ish crop `scale` times the box around its centre, kept inside the image where possible. */
export function scaledBox(img: RgbImage, b: Rect, scale: number): Rect {
  const s = Math.min((img.height - 1) / b.h, (img.width - 1) / b.w, scale);
  const w = b.w * s;
  const h = b.h * s;
  let x = b.x + b.w / 2 - w / 2;
  let y = b.y + b.h / 2 - h / 2;
  x = Math.min(Math.max(x, 0), img.width - 1 - w);
  y = Math.min(Math.max(y, 0), img.height - 1 - h);
  return { x: Math.max(0, x), y: Math.max(0, y), w, h };
}

/**
 * A crop `scale` times the box around its centre at the full factor, even where it does not fit:
 * along an axis where the crop is no longer than the image it is shifted inside (as scaledBox), along
 * an axis where it is longer it stays centred on the box and reaches past the image, whose edge
 * pixels cropToTensor repeats there (edge-replicate padding). Keeps the face at the scale a model
 * was trained on when the photo is a close-up.
 */
export function paddedScaledBox(img: RgbImage, b: Rect, scale: number): Rect {
  const axis = (start: number, len: number, extent: number) => {
    const size = len * scale;
    const centred = start + len / 2 - size / 2;
    if (size > extent - 1) return { at: centred, size };
    return { at: Math.min(Math.max(centred, 0), extent - 1 - size), size };
  };
  const x = axis(b.x, b.w, img.width),
    y = axis(b.y, b.h, img.height);
  return { x: x.at, y: y.at, w: x.size, h: y.size };
}
