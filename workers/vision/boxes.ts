import type { Rect } from "./image.ts";

export type ScoredBox = Rect & { score: number };

export function iou(a: Rect, b: Rect): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

/** Share of the smaller box covered by the larger: catches a face cut in two by a tile edge. */
export function containment(a: Rect, b: Rect): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const smaller = Math.min(a.w * a.h, b.w * b.h);
  return smaller > 0 ? (ix * iy) / smaller : 0;
}

/**
 * Greedy non-maximum suppression over boxes from the whole frame and every tile. When one box
 * lies inside another (part of a face found in a tile, the whole face in the frame), the larger
 * box is kept, with the better of the two scores (and the better box's other fields).
 */
export function nms<T extends ScoredBox>(boxes: T[], iouThreshold: number, containThreshold = 0.75): T[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const b of sorted) {
    const i = kept.findIndex((k) => iou(k, b) > iouThreshold || containment(k, b) >= containThreshold);
    if (i < 0) kept.push(b);
    else if (b.w * b.h > kept[i]!.w * kept[i]!.h && containment(kept[i]!, b) >= containThreshold)
      kept[i] = { ...kept[i]!, x: b.x, y: b.y, w: b.w, h: b.h };
  }
  return kept;
}

/** Overlapping tiles covering the frame: `cols` x `rows`, each overlapping its neighbour by `overlap`. */
export function tiles(width: number, height: number, cols: number, rows: number, overlap: number): Rect[] {
  if (cols < 1 || rows < 1) return [];
  const tw = width / (cols - (cols - 1) * overlap);
  const th = height / (rows - (rows - 1) * overlap);
  const out: Rect[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out.push({ x: c * tw * (1 - overlap), y: r * th * (1 - overlap), w: tw, h: th });
    }
  }
  return out;
}

/**
 * Tiles of the detector's input aspect (`aspect` = width / height, 4:3 for UltraFace), so that a
 * face is not stretched when its tile is resized to the input: `rows` rows overlapping by
 * `overlap`, and as many columns as cover the width with at least that overlap, spread evenly.
 * A frame narrower than one tile's width gets one column of tiles as wide as the frame.
 */
export function aspectTiles(width: number, height: number, rows: number, overlap: number, aspect: number): Rect[] {
  if (rows < 1) return [];
  const th = height / (rows - (rows - 1) * overlap);
  const tw = Math.min(width, th * aspect);
  const cols = tw >= width ? 1 : Math.ceil((width / tw - overlap) / (1 - overlap) - 1e-9);
  const stepX = cols > 1 ? (width - tw) / (cols - 1) : 0;
  const out: Rect[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out.push({ x: c * stepX, y: r * th * (1 - overlap), w: tw, h: th });
  }
  return out;
}

/**
 * Scale check of tile detections against the whole frame: a tile box that would measure at least
 * `minSide` px (shorter side) once the frame is resized to the detector's `inW` x `inH` input is
 * large enough for the whole-frame run to see; it is kept only if that run found something there
 * (any box of `whole`, whatever its score, overlapping it with IoU >= 0.3). Smaller tile boxes,
 * the ones the tiles exist for, pass unchecked. `minSide` 0 = no check.
 */
export function seenByWholeFrame<T extends Rect>(
  tileBoxes: T[],
  whole: Rect[],
  frame: { width: number; height: number },
  input: { width: number; height: number },
  minSide: number,
): T[] {
  if (minSide <= 0) return tileBoxes;
  return tileBoxes.filter((b) => {
    const side = Math.min((b.w * input.width) / frame.width, (b.h * input.height) / frame.height);
    return side < minSide || whole.some((w) => iou(w, b) >= 0.3);
  });
}
