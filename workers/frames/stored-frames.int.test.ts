// Invariant 7: a store that keeps frames gets a copy with every face irreversibly blurred, written
// by the frame worker (keepBlurredFrame), and the copy is deleted at the end of the store's
// retention by the sweep.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db.ts";
import { env } from "../../lib/env.ts";
import { makeStore } from "../../tests/fixtures.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { sendFrame } from "../../tests/send-frame.ts";
import { startWorkers } from "../main.ts";
import { queue } from "../../lib/jobs/queues.ts";
import { retentionSweep } from "../jobs/retention-sweep.ts";
import { decodeImage, detectFaces } from "../vision/index.ts";
import { facesDir } from "../../tests/faces.ts";
import { until } from "../../tests/until.ts";

let stop: () => Promise<void>;
beforeAll(async () => {
  stop = await startWorkers({ queues: ["frames"] });
});
afterAll(async () => {
  await stop?.();
});

const iou = (a: { x: number; y: number; w: number; h: number }, b: typeof a) => {
  const w = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return (w * h) / (a.w * a.h + b.w * b.h - w * h);
};

describe("stored frames (invariant 7)", () => {
  it("are kept only with every face blurred, and deleted when the store's retention ends", async () => {
    const store = await makeStore();
    await db().store.update({ where: { id: store.id }, data: { keepFrames: true, frameRetentionDays: 7 } });
    const camera = await registerCamera({ storeSlug: store.slug, name: "Hall", actor: { id: null, role: "SYSTEM" } });
    const original = await sharp(readFileSync(path.join(facesDir(), "detection", "dlib_2008_001009.jpg")))
      .jpeg({ quality: 92 })
      .toBuffer();
    const before = await detectFaces(await decodeImage(original));
    expect(before.length).toBeGreaterThanOrEqual(2);

    const frameId = await sendFrame(camera, original);
    const job = await until("the frame job to finish", async () => {
      const j = await queue("frames").getJob(`frame.analyze-${frameId}`);
      return j?.finishedOn ? j : undefined;
    });
    expect(job.returnvalue).toEqual({ status: "analyzed", faces: before.length, matched: 0 });

    const stored = await db().storedFrame.findMany({ where: { storeId: store.id } });
    expect(stored).toHaveLength(1);
    const kept = stored[0]!;
    expect(kept.path).toBe(path.join(env().DATA_DIR, "frames", store.id, `${frameId}.jpg`));
    expect(kept.expiresAt.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect(kept.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
    // The same detector finds none of the faces in the kept copy, and each face's area lost its
    // detail (pixelated blocks: almost no difference between neighbouring pixels).
    const blurred = await decodeImage(readFileSync(kept.path));
    const after = await detectFaces(blurred);
    expect(after.filter((a) => before.some((b) => iou(a, b) > 0.3))).toEqual([]);
    const orig = await decodeImage(original);
    const detail = (img: typeof orig, b: (typeof before)[number]) => {
      let sum = 0,
        n = 0;
      for (let y = Math.floor(b.y); y < b.y + b.h - 1; y++)
        for (let x = Math.floor(b.x); x < b.x + b.w - 1; x++) {
          const i = (y * img.width + x) * 3;
          sum += Math.abs(img.data[i]! - img.data[i + 3]!);
          n++;
        }
      return sum / n;
    };
    for (const b of before) expect(detail(blurred, b), JSON.stringify(b)).toBeLessThan(detail(orig, b) / 2);

    // Within retention the sweep keeps it; once its retention is over (moved to the past here,
    // rather than moving the sweep's clock, which would sweep other tests' data too), file and row go.
    await retentionSweep();
    expect(existsSync(kept.path)).toBe(true);
    await db().storedFrame.update({ where: { id: kept.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await retentionSweep()).frames).toBeGreaterThanOrEqual(1);
    expect(existsSync(kept.path)).toBe(false);
    expect(await db().storedFrame.count({ where: { storeId: store.id } })).toBe(0);
  });
});
