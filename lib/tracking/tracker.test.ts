import { describe, expect, it } from "vitest";
import {
  emptyTrackerState,
  flush,
  step,
  type Detection,
  type StepResult,
  type TrackerState,
  type TrackEvent,
} from "./tracker.ts";
import type { CountingLine } from "./counting-line.ts";
import { dwellBin } from "./dwell.ts";

const frame = { width: 1920, height: 1080 };
// A vertical line in the middle of the frame; walking left to right is "in".
const line: CountingLine = { x1: 0.5, y1: 1, x2: 0.5, y2: 0, band: 0.03 };
const face = (cx: number, cy = 500, size = 100, score = 0.9): Detection => ({
  box: { x: cx - size / 2, y: cy - size / 2, w: size, h: size },
  score,
});

function run(frames: (Detection[] | null)[], opts: { line?: CountingLine; dtMs?: number } = {}) {
  let state: TrackerState = emptyTrackerState();
  const events: TrackEvent[] = [];
  const results: StepResult[] = [];
  frames.forEach((dets, i) => {
    const r = step(state, { t: 1_000_000 + i * (opts.dtMs ?? 100), frame, detections: dets, line: opts.line });
    state = r.state;
    events.push(...r.events);
    results.push(r);
  });
  return {
    state,
    events,
    results,
    count: (type: string, dir?: string) =>
      events.filter((e) => e.type === type && (!dir || (e.type === "line" && e.direction === dir))).length,
  };
}

describe("tracker", () => {
  it("a frame of another size ends every track: a stranger where a shopper stood gets a track of their own", () => {
    let state = emptyTrackerState();
    for (let i = 0; i < 4; i++) state = step(state, { t: 1_000 + i * 100, frame, detections: [face(300)] }).state;
    const shopperTrack = state.tracks[0]!.id;
    // the same spot, 100 ms later, in a frame of another size (the camera was reconfigured)
    const r = step(state, { t: 1_500, frame: { width: 1280, height: 720 }, detections: [face(300)] });
    expect(r.assignments[0]).not.toBe(shopperTrack);
    expect(r.events.filter((e) => e.type === "exit").map((e) => e.trackId)).toEqual([shopperTrack]);
  });

  it("one person walking across is one entry, one track and one line crossing", () => {
    const frames = Array.from({ length: 40 }, (_, i) => [face(100 + i * 45)]);
    const r = run(frames, { line });
    expect(r.count("entry")).toBe(1);
    expect(r.count("line", "in")).toBe(1);
    expect(r.count("line", "out")).toBe(0);
    expect(new Set(r.results.flatMap((x) => x.assignments))).toEqual(new Set([1]));
  });

  it("a single false detection never becomes an entry", () => {
    const r = run([[face(300)], [], [], [], []]);
    expect(r.count("entry")).toBe(0);
    expect(r.state.tracks).toHaveLength(0);
  });

  it("a person standing still for a minute at 10 fps is one entry, however many frames", () => {
    const r = run(Array.from({ length: 600 }, () => [face(800)]));
    expect(r.count("entry")).toBe(1);
    expect(r.results.at(-1)!.occupancy).toBe(1);
  });

  it("a person who stops on the line and sways across it is counted once", () => {
    const walkIn = Array.from({ length: 18 }, (_, i) => [face(100 + i * 45)]); // reaches ~x 900
    // Standing on the line (x 960 ± 30 px, inside the ±3% band of the diagonal = ±66 px) for 20 s.
    const stand = Array.from({ length: 200 }, (_, i) => [face(960 + (i % 2 ? 30 : -30))]);
    const walkOn = Array.from({ length: 20 }, (_, i) => [face(1000 + i * 45)]);
    const r = run([...walkIn, ...stand, ...walkOn], { line });
    expect(r.count("entry")).toBe(1);
    expect(r.count("line", "in")).toBe(1);
    expect(r.count("line", "out")).toBe(0);
  });

  it("a track whose detections flicker on the line keeps its id and is counted once", () => {
    // Missed in every other frame and in runs of 5 frames (0.5 s) while on the line.
    const frames = Array.from({ length: 60 }, (_, i) => {
      const x = 500 + i * 15;
      const missing = i % 2 === 1 || (i >= 25 && i < 30);
      return missing ? [] : [face(x)];
    });
    const r = run(frames, { line });
    expect(r.count("entry")).toBe(1);
    expect(r.count("line")).toBe(1);
    expect(new Set(r.results.flatMap((x) => x.assignments.filter((a) => a !== null))).size).toBe(1);
  });

  it("two people crossing each other in opposite directions keep their ids", () => {
    const frames = Array.from({ length: 40 }, (_, i) => [face(100 + i * 45, 500), face(1850 - i * 45, 560)]);
    const r = run(frames, { line });
    expect(r.count("entry")).toBe(2);
    expect(r.count("line", "in")).toBe(1);
    expect(r.count("line", "out")).toBe(1);
    // Detection 0 (walking right) is always track 1, detection 1 always track 2: no switch.
    for (const x of r.results) expect(x.assignments).toEqual([1, 2]);
  });

  it("a person who leaves for longer than the lost window and comes back is a new entry, with dwell of the first stay", () => {
    const stay = Array.from({ length: 50 }, () => [face(800)]);
    const away = Array.from({ length: 30 }, () => []); // 3 s
    const r = run([...stay, ...away, ...stay]);
    expect(r.count("entry")).toBe(2);
    const exit = r.events.find((e) => e.type === "exit");
    expect(exit && exit.type === "exit" && exit.dwellMs).toBe(49 * 100);
    expect(flush(r.state)).toHaveLength(1);
  });

  it("frames without motion keep tracks alive and extend their dwell", () => {
    const r = run([[face(800)], [face(800)], [face(800)], ...Array.from({ length: 100 }, () => null)]);
    expect(r.state.tracks).toHaveLength(1);
    expect(r.state.tracks[0]!.lastSeen - r.state.tracks[0]!.firstSeen).toBe(102 * 100);
    expect(r.results.at(-1)!.unmatchedBoxes).toHaveLength(1);
  });

  it("a missed face is still covered: the live track's predicted box is reported", () => {
    const frames = [...Array.from({ length: 5 }, (_, i) => [face(500 + i * 20)]), []];
    const last = run(frames).results.at(-1)!;
    expect(last.unmatchedBoxes).toHaveLength(1);
    expect(last.unmatchedBoxes[0]!.x).toBeGreaterThan(500 + 4 * 20 - 50); // moved on with the track
  });

  it("the same frames give the same state (deterministic)", () => {
    const frames = Array.from({ length: 30 }, (_, i) => [face(100 + i * 40), face(1500 - i * 30, 300, 80, 0.4)]);
    expect(JSON.stringify(run(frames, { line }).state)).toBe(JSON.stringify(run(frames, { line }).state));
  });

  it("dwell bins", () => {
    expect(dwellBin(59_999)).toBe("dwellUnder1m");
    expect(dwellBin(60_000)).toBe("dwell1to5m");
    expect(dwellBin(3_600_000)).toBe("dwellOver30m");
  });
});

describe("a track left behind by a quiet camera", () => {
  it("ends before the next frame is associated: someone else at the same spot is a new track", () => {
    let state = emptyTrackerState();
    for (let i = 0; i < 4; i++) state = step(state, { t: 1000 + i * 100, frame, detections: [face(600)] }).state;
    const first = state.tracks[0]!.id;
    // 5 s later (nothing sent meanwhile), a face where the old track was.
    const r = step(state, { t: 6300, frame, detections: [face(600)] });
    expect(r.events).toEqual([{ type: "exit", trackId: first, at: 1300, dwellMs: 300 }]);
    expect(r.assignments[0]).not.toBe(first);
  });
});
