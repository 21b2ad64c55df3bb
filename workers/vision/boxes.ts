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
 * box is kept, with the better of the two scores.
 */
export function nms(boxes: ScoredBox[], iouThreshold: number, containThreshold = 0.75): ScoredBox[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: ScoredBox[] = [];
  for (const b of sorted) {
    const i = kept.findIndex((k) => iou(k, b) > iouThreshold || containment(k, b) >= containThreshold);
    if (i < 0) kept.push(b);
    else if (b.w * b.h > kept[i]!.w * kept[i]!.h && containment(kept[i]!, b) >= containThreshold)
      kept[i] = { ...b, score: kept[i]!.score };
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
