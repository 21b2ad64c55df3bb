// A frame is counted once, however often its job runs (a retry after the worker was killed between
// the count and the job's completion; a stalled job re-run while the first run still goes on).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { makeStore } from "../../tests/fixtures.ts";
import { registerCamera } from "../cameras/register-camera.ts";
import { countFrame } from "./count-frame.ts";

describe("countFrame", () => {
  it("counts a frame once when its job runs again, in turn or at the same time", async () => {
    const store = await makeStore();
    const cam = await registerCamera({ storeSlug: store.slug, name: "door", actor: { id: null, role: "SYSTEM" } });
    const base = { cameraId: cam.cameraId, storeId: store.id, capturedAt: new Date(), faces: 2 };
    const events = [{ type: "entry" as const, trackId: 1, at: Date.now() }];
    const again = randomUUID();
    await countFrame({ ...base, frameId: again, events });
    await countFrame({ ...base, frameId: again, events });
    const racing = randomUUID();
    await Promise.all([1, 2, 3, 4, 5].map(() => countFrame({ ...base, frameId: racing, events })));
    const sum = await db().footfallBucket.aggregate({
      where: { cameraId: cam.cameraId },
      _sum: { frames: true, faces: true, entries: true },
    });
    expect(sum._sum).toEqual({ frames: 2, faces: 4, entries: 2 });
  });

  it("adds every count that has no frame (a quiet camera's exits), and keeps each column's own value", async () => {
    const store = await makeStore();
    const cam = await registerCamera({ storeSlug: store.slug, name: "door", actor: { id: null, role: "SYSTEM" } });
    const at = new Date("2026-12-03T10:15:42.500Z");
    const exit = { type: "exit" as const, trackId: 1, at: at.getTime(), dwellMs: 7 * 60_000 };
    for (const _ of [1, 2])
      await countFrame({
        cameraId: cam.cameraId,
        storeId: store.id,
        capturedAt: at,
        events: [exit],
        outcome: "camera-quiet",
      });
    await countFrame({
      cameraId: cam.cameraId,
      storeId: store.id,
      capturedAt: at,
      frameId: randomUUID(),
      faces: 3,
      occupancy: 2,
    });
    const rows = await db().footfallBucket.findMany({ where: { cameraId: cam.cameraId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      size: "MINUTE",
      bucketStart: new Date("2026-12-03T10:15:00.000Z"),
      frames: 1,
      faces: 3,
      maxFaces: 3,
      exits: 2,
      dwell5to15m: 2,
      maxOccupancy: 2,
      notAnalysed: 0,
    });
  });
});
