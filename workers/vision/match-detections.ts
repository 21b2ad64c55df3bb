import { iou } from "./boxes.ts";
import type { Rect } from "./image.ts";

export type MatchOutcome = { truthMatched: boolean[]; tp: number; fp: number };

/**
 * The usual detection protocol (PASCAL VOC / WIDER FACE): detections are taken in descending
 * score order, each claims the unclaimed ground-truth box it overlaps most, if that overlap
 * reaches `threshold`; a detection left without a box is a false positive. Matching ground truth
 * first (each box grabbing its best detection) lets a low-score detection steal a face from a
 * confident one and scores differently.
 */
export function matchDetections(dets: (Rect & { score: number })[], truth: Rect[], threshold: number): MatchOutcome {
  const order = dets.map((_, i) => i).sort((a, b) => dets[b]!.score - dets[a]!.score || a - b);
  const truthMatched = truth.map(() => false);
  let tp = 0;
  for (const di of order) {
    let best = -1,
      bi = -1;
    truth.forEach((g, gi) => {
      if (truthMatched[gi]) return;
      const v = iou(dets[di]!, g);
      if (v > best) {
        best = v;
        bi = gi;
      }
    });
    if (bi >= 0 && best >= threshold) {
      truthMatched[bi] = true;
      tp++;
    }
  }
  return { truthMatched, tp, fp: dets.length - tp };
}
