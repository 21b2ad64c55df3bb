import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { decodeImage, InvalidImageError } from "./image.ts";
import { faceSharpness, sharpness } from "./quality.ts";
import { redactFaces } from "./redact.ts";

async function checkerboard(size = 96, cell = 4): Promise<Buffer> {
  const raw = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      raw.fill(((x / cell) ^ (y / cell)) & 1 ? 255 : 0, (y * size + x) * 3, (y * size + x) * 3 + 3);
  return sharp(raw, { raw: { width: size, height: size, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

describe("decoding", () => {
  it("decodes a JPEG to RGB", async () => {
    const img = await decodeImage(await checkerboard());
    expect([img.width, img.height, img.data.length]).toEqual([96, 96, 96 * 96 * 3]);
  });

  it("refuses garbage and truncated JPEGs with a typed error", async () => {
    await expect(decodeImage(Buffer.from("definitely not an image"))).rejects.toBeInstanceOf(InvalidImageError);
    const good = await checkerboard();
    await expect(decodeImage(good.subarray(0, Math.floor(good.length / 2)))).rejects.toBeInstanceOf(InvalidImageError);
  });
});

describe("sharpness and redaction", () => {
  it("a blurred copy is much less sharp than the original", async () => {
    const sharpImg = await decodeImage(await checkerboard());
    const blurred = await decodeImage(
      await sharp(await checkerboard())
        .blur(3)
        .jpeg()
        .toBuffer(),
    );
    const box = { x: 8, y: 8, w: 80, h: 80 };
    expect(sharpness(sharpImg, box)).toBeGreaterThan(10 * sharpness(blurred, box));
  });

  it("redaction leaves no detail inside the face box", async () => {
    const img = await decodeImage(await checkerboard(96, 2));
    const out = await decodeImage(
      await redactFaces(img, [{ x: 30, y: 30, w: 36, h: 36 }], { margin: 0, floorBlocks: 0 }),
    );
    const box = { x: 32, y: 32, w: 30, h: 30 };
    expect(sharpness(out, box)).toBeLessThan(sharpness(img, box) / 5);
  });

  it("a stored frame has no detail anywhere, even where no face was detected (the whole-frame floor)", async () => {
    const img = await decodeImage(await checkerboard(96, 2));
    const out = await decodeImage(await redactFaces(img, []));
    for (const box of [
      { x: 4, y: 4, w: 40, h: 40 },
      { x: 50, y: 50, w: 40, h: 40 },
    ]) {
      expect(sharpness(out, box)).toBeLessThan(sharpness(img, box) / 5);
    }
  });
});

describe("blur measure of the quality gate", () => {
  // A "face" of 24 cells at 224 px, and the same scene photographed twice as close (448 px).
  const scene = async (size: number, blur?: number) => {
    let p = sharp(await checkerboard(96, 4)).resize(size, size, { kernel: "cubic" });
    if (blur) p = sharp(await p.png().toBuffer()).blur(blur);
    return decodeImage(await p.png().toBuffer());
  };

  it("does not depend on how large the face is in the photo (above the recogniser's 112 px)", async () => {
    const near = { x: 0, y: 0, w: 448, h: 448 },
      far = { x: 0, y: 0, w: 224, h: 224 };
    const n = faceSharpness(await scene(448), near),
      f = faceSharpness(await scene(224), far);
    expect(n).toBeGreaterThan(f / 1.5);
    expect(n).toBeLessThan(f * 1.5);
    // At the photo's own pixels the nearer face reads as far less sharp (the bias this measure removes).
    expect(sharpness(await scene(448), near)).toBeLessThan(sharpness(await scene(224), far) / 2.5);
  });

  it("still tells a blurred large face from a sharp one", async () => {
    const box = { x: 0, y: 0, w: 384, h: 384 };
    // sigma 8 px on a 384 px face: 2 px at the 112 px the gate measures.
    expect(faceSharpness(await scene(384, 8), box)).toBeLessThan(faceSharpness(await scene(384), box) / 10);
  });
});
