// Identity switches (CLEAR-MOT): the detections each frame gave are replayed through the same
// tracker, configuration and frame order as the pipeline's (the tracker is deterministic), and
// each ground-truth person is matched to the track covering them (IoU >= 0.3). A switch is a person
// whose matched track changes from one frame to a later one.
import { iou, type Box } from "../../lib/tracking/box.ts";
import type { CountingLine } from "../../lib/tracking/counting-line.ts";
import { emptyTrackerState, step, type Detection } from "../../lib/tracking/tracker.ts";

export type ReplayFrame = { t: number; truth: { id: number; box: Box }[]; detections: Detection[] | null };

export function countIdSwitches(
  frames: ReplayFrame[],
  opts: { frame: { width: number; height: number }; line: CountingLine | null },
): number {
  let state = emptyTrackerState();
  const lastTrackOf = new Map<number, number>();
  let switches = 0;
  for (const f of frames) {
    const r = step(state, { t: f.t, frame: opts.frame, detections: f.detections, line: opts.line });
    state = r.state;
    const confirmed = state.tracks.filter((tr) => tr.confirmed && tr.lastSeen === f.t);
    const taken = new Set<number>();
    for (const person of f.truth) {
      let best: { id: number; overlap: number } | null = null;
      for (const tr of confirmed) {
        if (taken.has(tr.id)) continue;
        const overlap = iou(person.box, tr.box);
        if (overlap >= 0.3 && (!best || overlap > best.overlap)) best = { id: tr.id, overlap };
      }
      if (!best) continue;
      taken.add(best.id);
      const prev = lastTrackOf.get(person.id);
      if (prev !== undefined && prev !== best.id) switches++;
      lastTrackOf.set(person.id, best.id);
    }
  }
  return switches;
}
