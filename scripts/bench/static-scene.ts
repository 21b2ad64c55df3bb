// A mostly static camera for the motion-gate benchmark: one composed 720p frame (bench/frames.ts)
// repeated with sensor noise, and now and then a person walking across it. The noise matters:
// byte-identical frames, which no camera sends, would flatter the gate.
import sharp from "sharp";
import { composeFrames } from "./frames.ts";
import { loadSprites } from "./synthetic-walks.ts";

export type StaticScene = {
  /** one period of the sequence, cycled by the camera: frame i is shown at i / fps seconds */
  frames: Buffer[];
  /** which of them show the walking person */
  visitor: boolean[];
};

/** ±3 grey levels per pixel and channel, from a seeded generator so every run sends the same frames. */
function addNoise(raw: Buffer, seed: number): Buffer {
  let s = seed >>> 0 || 1;
  const out = Buffer.allocUnsafe(raw.length);
  for (let i = 0; i < raw.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = Math.max(0, Math.min(255, raw[i]! + ((s >>> 0) % 7) - 3));
  }
  return out;
}

export async function staticScene(
  facesDir: string,
  opts: { fps: number; visitEverySeconds: number; visitSeconds: number },
): Promise<StaticScene> {
  const base = (await composeFrames(facesDir, 1)).find((f) => f.name === "720p-0")!;
  const { data, info } = await sharp(base.jpeg).raw().toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels as 3 };
  const sprite = await sharp((await loadSprites(facesDir))[0]!.png)
    .resize(180, 180)
    .toBuffer();
  const period = Math.max(1, Math.round(opts.visitEverySeconds * opts.fps));
  const walk = Math.max(1, Math.round(opts.visitSeconds * opts.fps));
  const frames: Buffer[] = [];
  const visitor: boolean[] = [];
  for (let i = 0; i < period; i++) {
    const noisy = addNoise(data, 0x9e3779b9 + i);
    // Left to right across the middle of the view during the visit.
    const left = Math.round(((i + 0.5) / walk) * (raw.width - 180));
    const person = i < walk ? [{ input: sprite, left, top: Math.round(raw.height / 2 - 90) }] : [];
    const img = sharp(noisy, { raw }).composite(person);
    frames.push(await img.jpeg({ quality: 85 }).toBuffer());
    visitor.push(i < walk);
  }
  return { frames, visitor };
}
