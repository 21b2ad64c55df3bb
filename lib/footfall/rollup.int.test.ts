import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { makeStore } from "../../tests/fixtures.ts";
import { registerCamera } from "../cameras/register-camera.ts";
import { countFrame } from "./count-frame.ts";
import { rollupFootfall } from "./rollup.ts";

describe("footfall rollup", () => {
  it("turns old minute buckets into hour buckets exactly once", async () => {
    const store = await makeStore();
    const cam = await registerCamera({ storeSlug: store.slug, name: "c", actor: { id: null, role: "SYSTEM" } });
    const base = Date.UTC(2026, 0, 5, 10, 0, 0);
    for (const [min, faces] of [
      [1, 3],
      [1, 5],
      [2, 1],
      [59, 0],
    ] as const) {
      await countFrame({
        cameraId: cam.cameraId,
        storeId: store.id,
        capturedAt: new Date(base + min * 60_000 + 5_000),
        faces,
        occupancy: faces,
        events: [
          { type: "entry", trackId: min, at: 0 },
          { type: "exit", trackId: min, at: 0, dwellMs: faces * 60_000 },
          { type: "line", direction: "in", trackId: min, at: 0 },
        ],
      });
    }
    await countFrame({
      cameraId: cam.cameraId,
      storeId: store.id,
      capturedAt: new Date(base + 3 * 60_000),
      outcome: "not-analysed",
    });
    await countFrame({
      cameraId: cam.cameraId,
      storeId: store.id,
      capturedAt: new Date(base + 4 * 60_000),
      outcome: "motion-skipped",
    });
    const now = new Date(base + 5 * 3_600_000);
    expect((await rollupFootfall(now)).minutes).toBe(5);
    expect(await rollupFootfall(now)).toEqual({ minutes: 0 });
    const rows = await db().footfallBucket.findMany({ where: { cameraId: cam.cameraId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      size: "HOUR",
      bucketStart: new Date(base),
      frames: 5,
      faces: 9,
      maxFaces: 5,
      entries: 4,
      exits: 4,
      lineIn: 4,
      lineOut: 0,
      maxOccupancy: 5,
      dwellUnder1m: 1, // 0 min
      dwell1to5m: 2, // 1 and 3 min
      dwell5to15m: 1, // 5 min
      dwell15to30m: 0,
      dwellOver30m: 0,
      notAnalysed: 1,
      motionSkipped: 1,
    });
  });
});
