// Invariant 5 on its own: after a revocation commits, no worker matches against that template
// again, because the consent:changed message drops the worker's cached gallery. The SQL backstop
// (invariant 3, tested in lib/visits/record-visit.int.test.ts) is switched off in this file's own
// process: the worker here runs in-process and its visit insert is replaced by one that checks
// nothing, so a match against a stale gallery would write a visit. The cache's safety-net timer is
// set far beyond the test, so only the message can drop the gallery.
import path from "node:path";
import sharp from "sharp";
import { QueueEvents } from "bullmq";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "../../lib/db.ts";
import { createRedis } from "../../lib/redis.ts";
import { makeStore } from "../../tests/fixtures.ts";
import { checkedInShopper } from "../../tests/shopper-in-store.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { sendFrame, type TestCamera } from "../../tests/send-frame.ts";
import { revokeConsent } from "../../lib/consent/revoke-consent.ts";
import type { VisitCandidate } from "../../lib/visits/record-visit.ts";
import { startWorkers } from "../main.ts";
import { bullPrefix, queue } from "../../lib/jobs/queues.ts";
import { GalleryCache } from "./gallery-cache.ts";
import { createVision } from "./onnx-vision.ts";
import { facesDir } from "../../tests/faces.ts";
import { until } from "../../tests/until.ts";

// The backstop off: insert whatever the worker matched, consent or not.
vi.mock("../../lib/visits/record-visit.ts", async () => {
  const { randomUUID } = await import("node:crypto");
  const { db } = await import("../../lib/db.ts");
  return {
    recordVisit: async (v: VisitCandidate) => {
      const visit = await db().visit.create({
        data: {
          id: randomUUID(),
          userId: v.userId,
          storeId: v.storeId,
          firstSeenAt: v.seenAt,
          lastSeenAt: v.seenAt,
          cameraIds: [v.cameraId],
          score: v.score,
          recentSightings: [`${v.frameId}:${v.faceIndex}`],
        },
      });
      return { inserted: true, visitId: visit.id };
    },
  };
});

let stop: () => Promise<void>;
let events: QueueEvents;
let galleries: GalleryCache;

beforeAll(async () => {
  const vision = await createVision();
  galleries = new GalleryCache(() => vision.newMatcher(), 60 * 60_000);
  events = new QueueEvents("frames", { connection: createRedis("worker"), prefix: bullPrefix() });
  await events.waitUntilReady();
  stop = await startWorkers({ queues: ["frames"], vision, galleries });
});

afterAll(async () => {
  await stop?.();
  await events?.close();
});

async function analyse(camera: TestCamera, body: Buffer) {
  const frameId = await sendFrame(camera, body);
  const j = await queue("frames").getJob(`frame.analyze-${frameId}`);
  return { frameId, outcome: await j!.waitUntilFinished(events, 45_000) };
}

describe("a revocation drops the cached gallery through pub/sub alone (invariant 5)", () => {
  it("the revoked shopper is matched before and never after, with no SQL check behind it", async () => {
    const store = await makeStore();
    const camera = await registerCamera({ storeSlug: store.slug, name: "Till", actor: { id: null, role: "SYSTEM" } });
    const { shopper, probe } = await checkedInShopper(store.slug, path.join(facesDir(), "verification", "faceapi_amy"));

    const before = await analyse(camera, probe);
    expect(before.outcome).toEqual({ status: "analyzed", faces: 1, matched: 1 });
    expect(galleries.isCached(store.id)).toBe(true);
    expect((await db().visit.findMany({ where: { userId: shopper.id } })).map((v) => v.recentSightings)).toEqual([
      [`${before.frameId}:0`],
    ]);

    await revokeConsent({ userId: shopper.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
    // The message, not the timer (an hour) and not a reload on a later frame, drops the gallery.
    await until(
      "the worker's gallery of the store to be dropped by the consent:changed message",
      () => !galleries.isCached(store.id),
      20_000,
    );

    // The same person a moment later, a little further in (a new frame size: never motion-skipped):
    // the same anonymous track, whose match must not be carried once the shopper left the gallery;
    // and a camera of its own, where a fresh track is embedded and compared again.
    const moved = await sharp(probe)
      .extend({ left: 8, top: 8, right: 0, bottom: 0, background: "#808080" })
      .jpeg()
      .toBuffer();
    const after = await analyse(camera, moved);
    expect(after.outcome).toEqual({ status: "analyzed", faces: 1, matched: 0 });
    const other = await registerCamera({ storeSlug: store.slug, name: "Door", actor: { id: null, role: "SYSTEM" } });
    expect((await analyse(other, probe)).outcome).toEqual({ status: "analyzed", faces: 1, matched: 0 });
    // The withdrawal deleted the visit recorded before it; nothing was written after it.
    expect(await db().visit.findMany({ where: { userId: shopper.id } })).toEqual([]);
  });
});
