// Synthetic walking sequences for the people-counting benchmark: face sprites cut from the faces
// folder cross a 1080p background along scripted paths (various speeds, both directions, a group,
// a stop on the counting line, a re-entry, one person standing a minute), with ground-truth ids
// per frame. The plan is pure and deterministic, so a run can be compared with the next one and
// with another face folder of the same format.
import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";

export const FRAME = { width: 1920, height: 1080 } as const;

/** The counting line of the benchmark camera: vertical through the middle; left → right is "in". */
export const BENCH_LINE = { x1: 0.5, y1: 0.95, x2: 0.5, y2: 0.05, band: 0.03 };

export type Waypoint = { t: number; x: number; y: number };
export type Person = {
  /** ground-truth track id: one per appearance, so a re-entry is a new id */
  id: number;
  /** which sprite (face) this person wears; the same sprite twice is the same human re-entering */
  sprite: number;
  /** face size in pixels at 1080p */
  size: number;
  path: Waypoint[];
  /** the enrolled, consenting shopper of the benchmark (one visit per stay) */
  shopper?: boolean;
};
export type Plan = {
  fps: number;
  durationMs: number;
  people: Person[];
  truth: { entries: number; lineIn: number; lineOut: number; visits: number; standingMs: number };
};

/** Centre of a person at time t, or null when not in view. */
export function positionAt(p: Person, t: number): { x: number; y: number } | null {
  const w = p.path;
  if (t < w[0]!.t || t > w[w.length - 1]!.t) return null;
  for (let i = 1; i < w.length; i++) {
    const a = w[i - 1]!,
      b = w[i]!;
    if (t <= b.t) {
      const k = b.t === a.t ? 1 : (t - a.t) / (b.t - a.t);
      return { x: a.x + (b.x - a.x) * k, y: a.y + (b.y - a.y) * k };
    }
  }
  return null;
}

/** The ground-truth face boxes in view at time t (only those fully inside the frame count). */
export function truthAt(plan: Plan, t: number): { id: number; box: { x: number; y: number; w: number; h: number } }[] {
  const out = [];
  for (const p of plan.people) {
    const c = positionAt(p, t);
    if (!c) continue;
    const box = { x: c.x - p.size / 2, y: c.y - p.size / 2, w: p.size, h: p.size };
    if (box.x < 0 || box.y < 0 || box.x + box.w > FRAME.width || box.y + box.h > FRAME.height) continue;
    out.push({ id: p.id, box });
  }
  return out;
}

/**
 * The scripted scene, in order: single walkers at four speeds both ways, a group of three crossing
 * right to left, two people passing each other, one who stops on the line for 4 s (swaying), one
 * who leaves and comes back (two entries), and the shopper standing 60 s. Scenes are separated by
 * 3 s of empty background so every track ends before the next begins.
 */
export function buildPlan(opts: { sprites: number; shopperSprite: number; fps?: number; standingMs?: number }): Plan {
  const fps = opts.fps ?? 10;
  const standingMs = opts.standingMs ?? 60_000;
  const people: Person[] = [];
  let t = 1_000;
  let id = 1;
  let sprite = 0;
  const nextSprite = () => {
    const s = sprite++ % opts.sprites;
    return s === opts.shopperSprite ? sprite++ % opts.sprites : s;
  };
  const W = FRAME.width;
  const margin = 80;
  const walk = (fromX: number, toX: number, y: number, speed: number, size: number, s = nextSprite()) => {
    const ms = (Math.abs(toX - fromX) / speed) * 1000;
    const p: Person = {
      id: id++,
      sprite: s,
      size,
      path: [
        { t, x: fromX, y },
        { t: t + ms, x: toX, y },
      ],
    };
    people.push(p);
    return p;
  };
  const gap = () => (t = Math.max(t, ...people.map((p) => p.path[p.path.length - 1]!.t)) + 3_000);

  // single walkers, both directions, 180 to 520 px/s (a stroll to a brisk walk at this framing)
  for (const [i, speed] of [180, 300, 420, 520].entries()) {
    walk(i % 2 ? W - margin : margin, i % 2 ? margin : W - margin, 380 + 90 * i, speed, 110 + 10 * i);
    gap();
  }
  // a group of three crossing right to left together
  for (const dy of [0, 230, 460]) walk(W - margin, margin, 240 + dy, 260, 120);
  gap();
  // two people passing each other, their faces overlapping briefly
  walk(margin, W - margin, 500, 300, 120);
  walk(W - margin, margin, 560, 300, 120);
  gap();
  // one who stops on the line for 4 s, swaying across it, then goes on
  {
    const y = 540;
    const s = nextSprite();
    const cx = W / 2;
    const toLine = ((cx - margin) / 250) * 1000;
    const p: Person = { id: id++, sprite: s, size: 130, path: [{ t, x: margin, y }] };
    let tt = t + toLine;
    p.path.push({ t: tt, x: cx, y });
    for (let k = 0; k < 8; k++) p.path.push({ t: (tt += 500), x: cx + (k % 2 ? -14 : 14), y });
    p.path.push({ t: tt + ((W - margin - cx) / 250) * 1000, x: W - margin, y });
    people.push(p);
    t = tt;
    gap();
  }
  // one who crosses, leaves the view, and comes back 4 s later: two appearances, two entries
  {
    const s = nextSprite();
    walk(margin, W - margin, 620, 350, 115, s);
    t = people[people.length - 1]!.path[1]!.t + 4_000;
    walk(W - margin, margin, 620, 350, 115, s);
    gap();
  }
  // the enrolled shopper stands a minute in view, swaying a little
  {
    const p: Person = { id: id++, sprite: opts.shopperSprite, size: 150, shopper: true, path: [] };
    for (let k = 0; k * 1000 <= standingMs; k++) p.path.push({ t: t + k * 1000, x: 900 + (k % 2) * 6, y: 520 });
    people.push(p);
    gap();
  }

  let lineIn = 0,
    lineOut = 0;
  for (const p of people) {
    const a = p.path[0]!.x,
      b = p.path[p.path.length - 1]!.x;
    if (a < W / 2 && b > W / 2) lineIn++;
    if (a > W / 2 && b < W / 2) lineOut++;
  }
  return {
    fps,
    durationMs: t,
    people,
    truth: { entries: people.length, lineIn, lineOut, visits: 1, standingMs },
  };
}

/** A face with a 30% margin on each side, clipped to the photo, as PNG. */
async function cropWithMargin(file: string, box: { x: number; y: number; w: number; h: number }): Promise<Buffer> {
  const meta = await sharp(file).metadata();
  const m = 0.3 * Math.max(box.w, box.h);
  const left = Math.max(0, Math.round(box.x - m)),
    top = Math.max(0, Math.round(box.y - m));
  const width = Math.min(meta.width! - left, Math.round(box.w + 2 * m)),
    height = Math.min(meta.height! - top, Math.round(box.h + 2 * m));
  return sharp(file).extract({ left, top, width, height }).png().toBuffer();
}

/** Face sprites: ground-truth faces of at least 64 px from detection/, with a margin, as PNG. */
export async function loadSprites(facesDir: string): Promise<{ name: string; png: Buffer }[]> {
  const dir = path.join(facesDir, "detection");
  const gt = JSON.parse(readFileSync(path.join(dir, "boxes.json"), "utf8")) as Record<string, number[][]>;
  const out = [];
  for (const file of Object.keys(gt).sort()) {
    for (const [x, y, w, h] of gt[file]!) {
      if (Math.min(w!, h!) < 64) continue;
      out.push({
        name: `${file}#${x},${y}`,
        png: await cropWithMargin(path.join(dir, file), { x: x!, y: y!, w: w!, h: h! }),
      });
    }
  }
  return out;
}

/** A face sprite cut from a verification photo (the largest face, found by the caller). */
export function spriteFromPhoto(file: string, box: { x: number; y: number; w: number; h: number }): Promise<Buffer> {
  return cropWithMargin(file, box);
}

/** The empty scene: a face-free photo of the folder, stretched to 1080p and softened. */
export async function background(facesDir: string): Promise<Buffer> {
  const file = path.join(facesDir, "detection/neg_opencv_leuvenA.jpg");
  return sharp(file).resize(FRAME.width, FRAME.height, { fit: "cover" }).blur(2).raw().toBuffer();
}

/**
 * Sensor noise: a few full-frame layers of ±3 grey levels (a seeded generator, so every run is the
 * same), cycled frame by frame. Without it an empty scene would be byte-identical frames, which no
 * camera sends and which would make the motion gate look better than it is.
 */
export function noiseLayers(count = 6): Buffer[] {
  let seed = 0x9e3779b9;
  const next = () => (seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) & 0xff;
  return Array.from({ length: count }, () => {
    const b = Buffer.alloc(FRAME.width * FRAME.height * 4);
    for (let i = 0; i < b.length; i += 4) {
      const g = next();
      b[i] = b[i + 1] = b[i + 2] = g;
      b[i + 3] = 6; // about 2.4% opacity: a shift of a few grey levels
    }
    return b;
  });
}

/**
 * One frame as a camera would send it: the background with the people in view pasted at their
 * positions (each sprite scaled so its face is the person's size), the frame's noise on top, JPEG
 * at quality 85.
 */
export async function renderFrame(
  plan: Plan,
  t: number,
  bg: Buffer,
  sprites: Buffer[],
  noise?: Buffer,
): Promise<{ jpeg: Buffer; truth: ReturnType<typeof truthAt> }> {
  const truth = truthAt(plan, t);
  const composites = [];
  for (const p of plan.people) {
    const c = positionAt(p, t);
    if (!c) continue;
    // the sprite holds the face with a 30% margin on each side: 1.6 face widths in all
    const side = Math.round(p.size * 1.6);
    const left = Math.round(c.x - side / 2),
      top = Math.round(c.y - side / 2);
    if (left < 0 || top < 0 || left + side > FRAME.width || top + side > FRAME.height) continue;
    composites.push({ input: await sharp(sprites[p.sprite]!).resize(side, side).toBuffer(), left, top });
  }
  if (noise) composites.push({ input: noise, raw: { width: FRAME.width, height: FRAME.height, channels: 4 as const } });
  const jpeg = await sharp(bg, { raw: { width: FRAME.width, height: FRAME.height, channels: 3 } })
    .composite(composites)
    .jpeg({ quality: 85 })
    .toBuffer();
  return { jpeg, truth };
}
