// Anonymous multi-object tracker for one camera (ByteTrack-style association, constant-velocity
// prediction). Track state is boxes, timestamps and counters only — never pixels or appearance
// (invariant 11) — and is plain JSON so it can live seconds in Redis between frames. The same
// frames applied in the same order give the same state, whichever process applies them.
import { iou, normalisedDistance, sizeRatio, type Box } from "./box.ts";
import { clearSide, nearestSide, type CountingLine, type Side } from "./counting-line.ts";

export type TrackerConfig = {
  /** detections at or above this score are associated first and may start tracks (ByteTrack "high") */
  highScore: number;
  /** IoU of predicted and detected box needed for a match */
  matchIou: number;
  /** fallback for fast movers whose boxes no longer overlap: centre distance in face widths */
  matchDistance: number;
  /** hits needed before a tentative track is confirmed (and counted as an entry) */
  confirmHits: number;
  /** a tentative track missed this many frames in a row is dropped (a false detection) */
  tentativeMisses: number;
  /** a confirmed track unseen this long is removed (its dwell ends at its last sighting) */
  lostAfterMs: number;
  /** how far a lost track's box is extrapolated at most */
  maxPredictMs: number;
};

export const defaultTrackerConfig: TrackerConfig = {
  highScore: 0.5,
  matchIou: 0.2,
  matchDistance: 1.2,
  confirmHits: 3,
  tentativeMisses: 2,
  lostAfterMs: 2_000,
  maxPredictMs: 600,
};

export type Track = {
  id: number;
  box: Box;
  /** centre velocity, pixels per millisecond */
  vx: number;
  vy: number;
  firstSeen: number;
  lastSeen: number;
  lastUpdate: number;
  hits: number;
  misses: number;
  confirmed: boolean;
  /** side of the counting line the track was last clearly on */
  side?: Side;
};

export type TrackerState = {
  nextId: number;
  lastT: number;
  tracks: Track[];
  /** size of the camera's last frame: a frame of another size is another view */
  view?: { width: number; height: number };
};

export type Detection = { box: Box; score: number };

export type TrackEvent =
  | { type: "entry"; trackId: number; at: number }
  | { type: "line"; direction: "in" | "out"; trackId: number; at: number }
  | { type: "exit"; trackId: number; at: number; dwellMs: number };

export type StepInput = {
  t: number;
  frame: { width: number; height: number };
  /** null: the frame did not change (motion gate) — live tracks are kept as they are */
  detections: Detection[] | null;
  line?: CountingLine | null;
};

export type StepResult = {
  state: TrackerState;
  /** per detection, the id of its (possibly tentative) track, or null if it started none */
  assignments: (number | null)[];
  events: TrackEvent[];
  /** confirmed tracks in view or briefly lost: the occupancy estimate */
  occupancy: number;
  /** predicted boxes of live tracks not matched in this frame (to blur them too) */
  unmatchedBoxes: Box[];
};

export const emptyTrackerState = (): TrackerState => ({ nextId: 1, lastT: 0, tracks: [] });

export function predict(track: Track, t: number, cfg: TrackerConfig): Box {
  const dt = Math.min(Math.max(0, t - track.lastUpdate), cfg.maxPredictMs);
  return { ...track.box, x: track.box.x + track.vx * dt, y: track.box.y + track.vy * dt };
}

/** Greedy best-first matching on a score matrix (rows tracks, cols detections). */
function greedyMatch(score: number[][], min: number, rows: Set<number>, cols: Set<number>): [number, number][] {
  const pairs: [number, number, number][] = [];
  for (const r of rows) for (const c of cols) if (score[r]![c]! >= min) pairs.push([score[r]![c]!, r, c]);
  // Ties broken by index so the result never depends on iteration order of the runtime.
  pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  const out: [number, number][] = [];
  for (const [, r, c] of pairs) {
    if (!rows.has(r) || !cols.has(c)) continue;
    rows.delete(r);
    cols.delete(c);
    out.push([r, c]);
  }
  return out;
}

export function step(prev: TrackerState, input: StepInput, cfg: TrackerConfig = defaultTrackerConfig): StepResult {
  // Time never runs backwards for a camera, even if two ingest hosts' clocks disagree slightly.
  const t = Math.max(input.t, prev.lastT);
  const state: TrackerState = {
    nextId: prev.nextId,
    lastT: t,
    tracks: prev.tracks.map((tr) => ({ ...tr, box: { ...tr.box } })),
    view: { width: input.frame.width, height: input.frame.height },
  };
  const events: TrackEvent[] = [];
  // A frame of another size is another picture (the camera was reconfigured): a box of the old
  // one says nothing about who stands where in the new one, so a recognised shopper's track
  // cannot pass its match to a stranger there. Every track ends.
  const sameView = !prev.view || (prev.view.width === input.frame.width && prev.view.height === input.frame.height);
  // A track unseen for longer than lostAfterMs has left before this frame (the camera was quiet
  // or its frames were skipped): it ends now, and cannot take a detection of someone else who
  // happens to stand where it was.
  state.tracks = state.tracks.filter((tr) => {
    if (sameView && t - tr.lastSeen <= cfg.lostAfterMs) return true;
    if (tr.confirmed)
      events.push({ type: "exit", trackId: tr.id, at: tr.lastSeen, dwellMs: tr.lastSeen - tr.firstSeen });
    return false;
  });
  const dets = input.detections;
  const assignments: (number | null)[] = dets ? dets.map(() => null) : [];
  const matched = new Set<number>();

  if (dets === null) {
    // Nothing moved: whoever was in view still is.
    for (const tr of state.tracks) if (tr.misses === 0) tr.lastSeen = t;
  } else {
    const predicted = state.tracks.map((tr) => predict(tr, t, cfg));
    const byIou = predicted.map((p) => dets.map((d) => iou(p, d.box)));
    const byDistance = predicted.map((p) =>
      dets.map((d) => (sizeRatio(p, d.box) >= 0.5 ? cfg.matchDistance - normalisedDistance(p, d.box) : -1)),
    );
    const high = new Set(dets.flatMap((d, i) => (d.score >= cfg.highScore ? [i] : [])));
    const low = new Set(dets.flatMap((d, i) => (d.score < cfg.highScore ? [i] : [])));
    // Confirmed tracks first, so a fresh false detection cannot take a person's box.
    const confirmedRows = new Set(state.tracks.flatMap((tr, i) => (tr.confirmed ? [i] : [])));
    const tentativeRows = new Set(state.tracks.flatMap((tr, i) => (tr.confirmed ? [] : [i])));
    const pairs = [
      ...greedyMatch(byIou, cfg.matchIou, confirmedRows, high),
      ...greedyMatch(byDistance, 0, confirmedRows, high),
      ...greedyMatch(byIou, cfg.matchIou, tentativeRows, high),
      ...greedyMatch(byDistance, 0, tentativeRows, high),
      // ByteTrack's second stage: low-score boxes may only extend tracks that exist.
      ...greedyMatch(byIou, cfg.matchIou, confirmedRows, low),
      ...greedyMatch(byIou, cfg.matchIou, tentativeRows, low),
    ];
    for (const [r, c] of pairs) {
      const tr = state.tracks[r]!;
      update(tr, dets[c]!.box, t);
      assignments[c] = tr.id;
      matched.add(tr.id);
      if (!tr.confirmed && tr.hits >= cfg.confirmHits) {
        tr.confirmed = true;
        events.push({ type: "entry", trackId: tr.id, at: tr.firstSeen });
      }
    }
    for (const tr of state.tracks) if (!matched.has(tr.id)) tr.misses++;
    for (const c of high) {
      const d = dets[c]!;
      const tr: Track = {
        id: state.nextId++,
        box: { ...d.box },
        vx: 0,
        vy: 0,
        firstSeen: t,
        lastSeen: t,
        lastUpdate: t,
        hits: 1,
        misses: 0,
        confirmed: cfg.confirmHits <= 1,
      };
      if (input.line)
        tr.side = clearSide(input.line, tr.box, input.frame) ?? nearestSide(input.line, tr.box, input.frame);
      state.tracks.push(tr);
      assignments[c] = tr.id;
      matched.add(tr.id);
      if (tr.confirmed) events.push({ type: "entry", trackId: tr.id, at: t });
    }
  }

  // Counting line: only matched, confirmed tracks can cross; the side flips once clear of the band.
  if (input.line) {
    for (const tr of state.tracks) {
      if (!matched.has(tr.id) || tr.misses > 0) continue;
      const side = clearSide(input.line, tr.box, input.frame);
      if (!side) continue;
      if (tr.side && side !== tr.side && tr.confirmed)
        events.push({ type: "line", direction: side === "B" ? "in" : "out", trackId: tr.id, at: t });
      if (tr.confirmed || !tr.side) tr.side = side;
    }
  }

  const kept: Track[] = [];
  for (const tr of state.tracks) {
    if (!tr.confirmed && tr.misses >= cfg.tentativeMisses) continue;
    if (tr.confirmed && t - tr.lastSeen > cfg.lostAfterMs) {
      events.push({ type: "exit", trackId: tr.id, at: tr.lastSeen, dwellMs: tr.lastSeen - tr.firstSeen });
      continue;
    }
    kept.push(tr);
  }
  state.tracks = kept;
  const unmatchedBoxes = kept
    .filter((tr) => !matched.has(tr.id) && (tr.confirmed || dets === null))
    .map((tr) => predict(tr, t, cfg));
  return { state, assignments, events, occupancy: kept.filter((tr) => tr.confirmed).length, unmatchedBoxes };
}

/** Ends every confirmed track (camera gone quiet, state about to expire): their dwell is known. */
export function flush(prev: TrackerState): TrackEvent[] {
  return prev.tracks
    .filter((tr) => tr.confirmed)
    .map((tr) => ({ type: "exit", trackId: tr.id, at: tr.lastSeen, dwellMs: tr.lastSeen - tr.firstSeen }));
}

function update(tr: Track, box: Box, t: number): void {
  const dt = t - tr.lastUpdate;
  if (dt > 0) {
    const vx = (box.x + box.w / 2 - (tr.box.x + tr.box.w / 2)) / dt;
    const vy = (box.y + box.h / 2 - (tr.box.y + tr.box.h / 2)) / dt;
    // Smoothed velocity (alpha-beta filter): detector jitter should not throw the prediction.
    const a = tr.hits === 1 ? 1 : 0.5;
    tr.vx = a * vx + (1 - a) * tr.vx;
    tr.vy = a * vy + (1 - a) * tr.vy;
  }
  tr.box = { ...box };
  tr.lastSeen = t;
  tr.lastUpdate = t;
  tr.hits++;
  tr.misses = 0;
}
