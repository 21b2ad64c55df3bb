// Motion gate: a frame whose low-resolution grey thumbnail barely differs from the camera's
// previous frame skips detection (tracks are kept alive instead). Cells, not the whole-frame mean,
// so one person moving in a corner of a wide view still counts as motion.
export type Thumbnail = { width: number; height: number; data: Uint8Array };

export const THUMB_WIDTH = 64;
export const THUMB_HEIGHT = 36;

export type MotionConfig = {
  /** mean absolute grey difference (0..255) of a 4x4-pixel cell (a 1080p frame: 120 px square) that counts as change */
  cellThreshold: number;
  /** cells that must change for the frame to count as moving */
  minCells: number;
};
export const defaultMotionConfig: MotionConfig = { cellThreshold: 8, minCells: 1 };

/** Number of cells whose mean absolute difference exceeds the threshold (null: not comparable). */
export function changedCells(
  a: Thumbnail,
  b: Thumbnail,
  cfg: MotionConfig = defaultMotionConfig,
  cell = 4,
): number | null {
  if (a.width !== b.width || a.height !== b.height || a.data.length !== b.data.length) return null;
  let changed = 0;
  for (let cy = 0; cy < a.height; cy += cell) {
    for (let cx = 0; cx < a.width; cx += cell) {
      let sum = 0;
      let n = 0;
      for (let y = cy; y < Math.min(cy + cell, a.height); y++) {
        for (let x = cx; x < Math.min(cx + cell, a.width); x++) {
          const i = y * a.width + x;
          sum += Math.abs(a.data[i]! - b.data[i]!);
          n++;
        }
      }
      if (sum / n > cfg.cellThreshold) changed++;
    }
  }
  return changed;
}

export function isStatic(prev: Thumbnail | null, cur: Thumbnail, cfg: MotionConfig = defaultMotionConfig): boolean {
  if (!prev) return false;
  const n = changedCells(prev, cur, cfg);
  return n !== null && n < cfg.minCells;
}
