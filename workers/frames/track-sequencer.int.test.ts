// The per-camera sequencer against real Redis: frames published out of order are applied in seq
// order, a missing marker lets the next frames through at once, and a camera whose counter was
// lost starts again instead of calling every new frame late.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ready, redis } from "../../lib/redis.ts";
import { trackKeys, MISSING } from "../../lib/tracking/track-keys.ts";
import { publishResult, sequenceFrame } from "./track-sequencer.ts";
import { until } from "../../tests/until.ts";

const frame = { width: 640, height: 360 };
const face = (x: number) => ({ box: { x, y: 100, w: 100, h: 100 }, score: 0.9 });
const result = (i: number) => ({ t: 1_000_000 + i * 100, frame, detections: [face(100 + i * 10)] });

describe("track sequencer", () => {
  it("applies a camera's frames in seq order whichever was published first", async () => {
    const r = await ready(redis("producer"));
    const cameraId = `cam-${randomUUID()}`;
    await r.set(trackKeys.seq(cameraId), "3");
    // Frame 2 finishes detection first and waits; frame 1 then arrives; frame 3 last.
    const second = sequenceFrame(r, { cameraId, seq: 2, result: result(2), line: null });
    await until("frame 2 to be published", async () => (await r.exists(trackKeys.result(cameraId, 2))) === 1);
    expect(await r.get(trackKeys.cursor(cameraId))).toBeNull(); // nothing applied behind the gap
    const first = await sequenceFrame(r, { cameraId, seq: 1, result: result(1), line: null });
    const third = await sequenceFrame(r, { cameraId, seq: 3, result: result(3), line: null });
    const s2 = await second;
    if (first.status !== "applied" || s2.status !== "applied" || third.status !== "applied")
      throw new Error("not applied");
    // One person moving right: one track, applied 1, 2, 3 (the third confirms it: an entry).
    expect([first, s2, third].map((s) => s.status === "applied" && s.applied.assignments)).toEqual([[1], [1], [1]]);
    expect(third.applied.events).toEqual([{ type: "entry", trackId: 1, at: 1_000_100 }]);
    expect(await r.get(trackKeys.cursor(cameraId))).toBe("3");
    // A retried job gets its frame's outcome back, and never applies it again.
    expect(await sequenceFrame(r, { cameraId, seq: 2, result: result(2), line: null })).toEqual(s2);
    expect(await r.zcard(trackKeys.ready(cameraId))).toBe(0);
  });

  it("a frame that will never come is published as missing, and the next ones do not wait for it", async () => {
    const r = await ready(redis("producer"));
    const cameraId = `cam-${randomUUID()}`;
    await r.set(trackKeys.seq(cameraId), "2");
    await publishResult(r, cameraId, 1, MISSING);
    const s = await sequenceFrame(r, { cameraId, seq: 2, result: result(2), line: null });
    expect(s.status).toBe("applied");
    expect(await r.get(trackKeys.cursor(cameraId))).toBe("2");
    // Its turn has passed: frame 1 arriving now is late, never applied.
    expect(await sequenceFrame(r, { cameraId, seq: 1, result: result(1), line: null })).toEqual({ status: "late" });
  });

  it("follows a camera counter that started again from 1", async () => {
    const r = await ready(redis("producer"));
    const cameraId = `cam-${randomUUID()}`;
    await r.set(trackKeys.cursor(cameraId), "500");
    await r.set(trackKeys.seq(cameraId), "1");
    const s = await sequenceFrame(r, { cameraId, seq: 1, result: result(1), line: null });
    expect(s.status).toBe("applied");
    expect(await r.get(trackKeys.cursor(cameraId))).toBe("1");
  });
});
