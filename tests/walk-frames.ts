// Small synthetic camera views for the tracking tests: face photos pasted on a plain 640x360 view
// at scripted positions and sizes, JPEG like a camera sends. Deterministic: the same scene gives
// the same bytes.
import { readFileSync } from "node:fs";
import sharp from "sharp";

export const VIEW = { width: 640, height: 360 } as const;

/** One face in view: a photo (path) pasted with its centre at (x, y), `side` pixels square. */
export type Placed = { photo: string; x: number; y: number; side: number };

export async function viewFrame(people: Placed[], marker = 0): Promise<Buffer> {
  const composites = [];
  for (const p of people) {
    const left = Math.round(p.x - p.side / 2);
    const top = Math.round(p.y - p.side / 2);
    if (left < 0 || top < 0 || left + p.side > VIEW.width || top + p.side > VIEW.height) continue;
    composites.push({
      input: await sharp(readFileSync(p.photo)).resize(p.side, p.side).toBuffer(),
      left,
      top,
    });
  }
  // A few grey levels in one corner tell otherwise equal frames apart (a camera's clock overlay):
  // not enough to count as motion, enough for a different signature.
  if (marker)
    composites.push({
      input: await sharp({
        create: {
          width: 6,
          height: 4,
          channels: 3,
          background: { r: (marker * 40) % 256, g: (marker * 90) % 256, b: 20 },
        },
      })
        .png()
        .toBuffer(),
      left: 0,
      top: 0,
    });
  return sharp({ create: { width: VIEW.width, height: VIEW.height, channels: 3, background: "#8a8f94" } })
    .composite(composites)
    .jpeg({ quality: 90 })
    .toBuffer();
}

/**
 * Two people crossing the view in opposite directions (one on the upper half left to right, one on
 * the lower half right to left) over `steps` frames, then `tail` empty frames.
 */
export async function crossingScene(
  a: string,
  b: string,
  steps = 12,
  tail = 2,
): Promise<{ frames: Buffer[]; people: number }> {
  const frames: Buffer[] = [];
  const side = 140;
  for (let i = 0; i < steps; i++) {
    const k = i / (steps - 1);
    const x = 70 + k * (VIEW.width - 140);
    frames.push(
      await viewFrame([
        { photo: a, x, y: 95, side },
        { photo: b, x: VIEW.width - x, y: 265, side },
      ]),
    );
  }
  for (let i = 0; i < tail; i++) frames.push(await viewFrame([], i + 1));
  return { frames, people: 2 };
}
