// Geometry of face boxes in frame pixels. Position and size only: nothing here looks at pixels.
export type Box = { x: number; y: number; w: number; h: number };

export function iou(a: Box, b: Box): number {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.w, b.x + b.w);
  const y2 = Math.min(a.y + a.h, b.y + b.h);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

export function center(b: Box): { cx: number; cy: number } {
  return { cx: b.x + b.w / 2, cy: b.y + b.h / 2 };
}

/** Centre distance in units of the larger box side: 0 = same place, 1 = one face-width apart. */
export function normalisedDistance(a: Box, b: Box): number {
  const ca = center(a);
  const cb = center(b);
  return Math.hypot(ca.cx - cb.cx, ca.cy - cb.cy) / Math.max(a.w, a.h, b.w, b.h, 1);
}

export function sizeRatio(a: Box, b: Box): number {
  const sa = Math.sqrt(a.w * a.h);
  const sb = Math.sqrt(b.w * b.h);
  return sa > sb ? sb / sa : sa / sb;
}
