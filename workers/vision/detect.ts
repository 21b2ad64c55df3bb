import { cropToTensor, type Rect, type RgbImage } from "./image.ts";
import { aspectTiles, iou, nms, seenByWholeFrame, tiles, type ScoredBox } from "./boxes.ts";
import { ort, session } from "./models.ts";
import { visionConfig } from "../../lib/vision/config.ts";

const IN_W = 320;
const IN_H = 240;

/** UltraFace on one region of the frame, resized to 320x240; boxes come back in frame pixels. */
async function detectRegion(img: RgbImage, region: Rect, threshold: number): Promise<ScoredBox[]> {
  const input = cropToTensor(img, region, IN_W, IN_H, (v) => (v - 127) / 128);
  const s = await session("detect");
  const out = await s.run({ input: new ort.Tensor("float32", input, [1, 3, IN_H, IN_W]) });
  const scores = out.scores!.data as Float32Array;
  const boxes = out.boxes!.data as Float32Array;
  const found: ScoredBox[] = [];
  for (let i = 0; i < scores.length / 2; i++) {
    const score = scores[i * 2 + 1]!;
    if (score < threshold) continue;
    const x1 = boxes[i * 4]! * region.w + region.x;
    const y1 = boxes[i * 4 + 1]! * region.h + region.y;
    const x2 = boxes[i * 4 + 2]! * region.w + region.x;
    const y2 = boxes[i * 4 + 3]! * region.h + region.y;
    const x = Math.max(0, x1);
    const y = Math.max(0, y1);
    const w = Math.min(img.width, x2) - x;
    const h = Math.min(img.height, y2) - y;
    if (w <= 2 || h <= 2) continue;
    // In a tile, a box touching an edge that lies inside the frame is usually half a face cut by
    // the tile; the neighbouring tile or the whole frame sees it whole.
    const m = 2;
    const cut =
      (x1 <= region.x + m && region.x > 0) ||
      (y1 <= region.y + m && region.y > 0) ||
      (x2 >= region.x + region.w - m && region.x + region.w < img.width - 1) ||
      (y2 >= region.y + region.h - m && region.y + region.h < img.height - 1);
    if (!cut) found.push({ x, y, w, h, score });
  }
  return found;
}

export type DetectOptions = {
  /** Fixed tile grid [cols, rows]; [0, 0] = whole frame only. Default: VISION_TILE_GRID. */
  grid?: [number, number] | "auto";
  overlap?: number;
  /** Score a whole-frame detection must reach. */
  threshold?: number;
  /** Score a tile detection must reach. */
  tileThreshold?: number;
  /** Tile boxes at least this large at the whole frame's input scale need whole-frame support. */
  tileCheckPx?: number;
  nmsIou?: number;
  cascade?: number;
};

/** Crop around a candidate for the second look: CASCADE_CONTEXT times its size, at the detector's 4:3. */
const CASCADE_CONTEXT = 3;
/** At most this many candidates per frame get a second look (the most likely first): bounds the cost. */
const CASCADE_MAX = 16;

function cropAround(b: Rect): Rect {
  const h = CASCADE_CONTEXT * Math.max(b.w, b.h);
  const w = (h * IN_W) / IN_H;
  return { x: b.x + b.w / 2 - w / 2, y: b.y + b.h / 2 - h / 2, w, h };
}

/** The tiles detectFaces runs on top of the whole frame, from the options or VISION_TILE_*. */
export function detectorTiles(width: number, height: number, opts: DetectOptions = {}): Rect[] {
  const cfg = visionConfig();
  const overlap = opts.overlap ?? cfg.VISION_TILE_OVERLAP;
  const grid =
    opts.grid ??
    (cfg.VISION_TILE_GRID === "auto" ? "auto" : (cfg.VISION_TILE_GRID.split("x").map(Number) as [number, number]));
  if (grid === "auto") return aspectTiles(width, height, cfg.VISION_TILE_ROWS, overlap, IN_W / IN_H);
  return tiles(width, height, grid[0], grid[1], overlap);
}

type Candidate = ScoredBox & { sure: boolean };

/** Lowest whole-frame score that counts as the whole frame having seen something (seenByWholeFrame). */
const WHOLE_SUPPORT_SCORE = 0.3;

/**
 * Whole frame plus overlapping tiles, merged with NMS: small faces that vanish when a whole frame
 * is shrunk to 320x240 are found in the tiles, which the detector sees at a larger scale. By
 * default the tiles have the detector's 4:3 aspect (a face is not stretched) and their own score
 * threshold (VISION_TILE_SCORE_THRESHOLD, below the whole frame's VISION_SCORE_THRESHOLD); a
 * tile box large enough for the whole frame to see (VISION_TILE_CHECK_PX at its input scale) is
 * kept only if the whole frame saw something there, at any score >= 0.3 (seenByWholeFrame).
 * Cascade (VISION_CASCADE_SCORE below a threshold): boxes scoring between the two are
 * candidates; each is kept only if the detector, re-run on an upscaled crop around it, finds a
 * face there at VISION_SCORE_THRESHOLD overlapping it (IoU >= 0.3), with that second score.
 */
export async function detectFaces(img: RgbImage, opts: DetectOptions = {}): Promise<ScoredBox[]> {
  const cfg = visionConfig();
  const threshold = opts.threshold ?? cfg.VISION_SCORE_THRESHOLD;
  const tileThreshold = opts.tileThreshold ?? cfg.VISION_TILE_SCORE_THRESHOLD;
  const cascade = opts.cascade ?? cfg.VISION_CASCADE_SCORE;
  const whole = { x: 0, y: 0, w: img.width, h: img.height };
  // The whole frame is read down to WHOLE_SUPPORT_SCORE: its weak boxes only vouch for tile boxes.
  const wholeAll = await detectRegion(img, whole, Math.min(WHOLE_SUPPORT_SCORE, threshold, cascade));
  const all: Candidate[] = wholeAll
    .filter((b) => b.score >= Math.min(threshold, cascade))
    .map((b) => ({ ...b, sure: b.score >= threshold }));
  for (const r of detectorTiles(img.width, img.height, opts)) {
    const found = seenByWholeFrame(
      await detectRegion(img, r, Math.min(tileThreshold, cascade)),
      wholeAll,
      img,
      { width: IN_W, height: IN_H },
      opts.tileCheckPx ?? cfg.VISION_TILE_CHECK_PX,
    );
    for (const b of found) all.push({ ...b, sure: b.score >= tileThreshold });
  }
  const merged = nms(all, opts.nmsIou ?? cfg.VISION_NMS_IOU).filter(
    (b) => Math.min(b.w, b.h) >= cfg.VISION_MIN_FACE_PX,
  );
  const plain = ({ x, y, w, h, score }: ScoredBox): ScoredBox => ({ x, y, w, h, score });
  const out = merged.filter((b) => b.sure).map(plain);
  const candidates = merged.filter((b) => !b.sure).slice(0, CASCADE_MAX); // nms output is in score order
  for (const c of candidates) {
    const second = (await detectRegion(img, cropAround(c), threshold)).filter((d) => iou(d, c) >= 0.3);
    if (second.length) out.push({ ...plain(c), score: Math.max(...second.map((d) => d.score)) });
  }
  return out.sort((a, b) => b.score - a.score);
}

/** Overlap with a whole-frame detection for a tiled detection to count as confirmed. */
export const WHOLE_FRAME_CONFIRM_IOU = 0.3;

/**
 * The tiled detections (detectFaces) that the detector also finds on the whole frame alone (IoU >=
 * WHOLE_FRAME_CONFIRM_IOU), with their tiled boxes. The tiles are there for faces too small for the
 * whole frame; a large box only a tile finds is mostly not a face (README "Enrolment and liveness").
 */
export async function detectConfirmedFaces(img: RgbImage, opts: DetectOptions = {}): Promise<ScoredBox[]> {
  const [tiled, whole] = [await detectFaces(img, opts), await detectFaces(img, { ...opts, grid: [0, 0] })];
  return tiled.filter((b) => whole.some((w) => iou(w, b) >= WHOLE_FRAME_CONFIRM_IOU));
}
