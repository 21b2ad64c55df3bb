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
      });
    }
    const now = new Date(base + 5 * 3_600_000);
    expect((await rollupFootfall(now)).minutes).toBe(3);
    expect(await rollupFootfall(now)).toEqual({ minutes: 0 });
    const rows = await db().footfallBucket.findMany({ where: { cameraId: cam.cameraId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ size: "HOUR", bucketStart: new Date(base), frames: 4, faces: 9, maxFaces: 5 });
  });
});
