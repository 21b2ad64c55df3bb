// The frame worker end to end against real PostgreSQL, Redis and the ONNX models: camera frames
// go through ingest, BullMQ and the vision pipeline, and only consenting shoppers are recognised.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { QueueEvents } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db.ts";
import { env } from "../../lib/env.ts";
import { createRedis, key, ready, redis } from "../../lib/redis.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { sendFrame } from "../../tests/send-frame.ts";
import { grantConsent } from "../../lib/consent/grant-consent.ts";
import { revokeConsent } from "../../lib/consent/revoke-consent.ts";
import { checkInWithToken } from "../../tests/presence.ts";
import { burstOf, enrolAtKiosk } from "../../tests/kiosk.ts";
import { checkOut } from "../../lib/presence/check-out.ts";
import { burstKey } from "../../lib/kiosk/kiosk-code.ts";
import { startWorkers } from "../main.ts";
import { bullPrefix, queue } from "../../lib/jobs/queues.ts";
import { analyzeFrame } from "./analyze-frame.ts";
import { putFrame } from "../../lib/frames/frame-store.ts";
import type { VisionPort } from "./vision-port.ts";
import type { GalleryCache } from "./gallery-cache.ts";
import { decodeImage, detectFaces } from "../vision/index.ts";
import { facesDir } from "../../tests/faces.ts";
import { until } from "../../tests/until.ts";

const faces = facesDir();

let stop: () => Promise<void>;
const frameQueue = queue("frames");
let frameEvents: QueueEvents;
let enrolEvents: QueueEvents;

async function jpeg(file: string): Promise<Buffer> {
  return sharp(readFileSync(file)).jpeg({ quality: 92 }).toBuffer();
}

/** Waits until BullMQ reports the job finished (completed or failed) and returns its result. */
async function finished(events: QueueEvents, jobId: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`job ${jobId} did not finish`)), 45_000);
    const done = (args: { jobId: string; returnvalue?: unknown; failedReason?: string }) => {
      if (args.jobId !== jobId) return;
      clearTimeout(timer);
      events.off("completed", done);
      events.off("failed", done);
      if (args.failedReason) reject(new Error(args.failedReason));
      else
        resolve(
          (typeof args.returnvalue === "string" ? JSON.parse(args.returnvalue) : args.returnvalue) as Record<
            string,
            unknown
          >,
        );
    };
    events.on("completed", done);
    events.on("failed", done);
  });
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name));
}

beforeAll(async () => {
  frameEvents = new QueueEvents("frames", { connection: createRedis("worker"), prefix: bullPrefix() });
  enrolEvents = new QueueEvents("enrolment", { connection: createRedis("worker"), prefix: bullPrefix() });
  await Promise.all([frameEvents.waitUntilReady(), enrolEvents.waitUntilReady()]);
  stop = await startWorkers({ queues: ["frames", "enrolment"] });
}, 120_000);

afterAll(async () => {
  await stop?.();
  await frameEvents?.close();
  await enrolEvents?.close();
});

describe("frames of people who never enrolled (invariants 1 and 2)", () => {
  it("are counted, and nothing derived from them is kept", async () => {
    const store = await makeStore();
    const camera = await registerCamera({ storeSlug: store.slug, name: "Door", actor: { id: null, role: "SYSTEM" } });
    const before = filesUnder(env().DATA_DIR);
    const templatesBefore = await db().faceTemplate.count();
    let facesSeen = 0;
    const sent: string[] = [];
    for (const f of ["dlib_2007_007763.jpg", "dlib_2008_001009.jpg", "dlib_2008_002079.jpg"]) {
      const frameId = await sendFrame(camera, await jpeg(path.join(faces, "detection", f)));
      sent.push(frameId);
      const outcome = await finished(frameEvents, `frame.analyze-${frameId}`);
      expect(outcome).toEqual({ status: "analyzed", faces: expect.any(Number), matched: 0 });
      facesSeen += outcome.faces as number;
      expect(await (await ready(redis("producer"))).exists(key("frame", frameId))).toBe(0);
    }
    expect(facesSeen).toBeGreaterThan(3);
    const buckets = await db().footfallBucket.findMany({ where: { cameraId: camera.cameraId } });
    expect(buckets.reduce((a, b) => a + b.frames, 0)).toBe(3);
    expect(buckets.reduce((a, b) => a + b.faces, 0)).toBe(facesSeen);
    expect(await db().visit.count({ where: { storeId: store.id } })).toBe(0);
    expect(await db().faceTemplate.count()).toBe(templatesBefore);
    expect(await db().storedFrame.count({ where: { storeId: store.id } })).toBe(0);
    expect(filesUnder(env().DATA_DIR)).toEqual(before);
    expect(await (await ready(redis("producer"))).exists(...sent.map((id) => key("frame", id)))).toBe(0);
  });

  it("a corrupt JPEG that passes the cheap check is dropped by the worker and its key deleted", async () => {
    const store = await makeStore();
    const camera = await registerCamera({ storeSlug: store.slug, name: "Door", actor: { id: null, role: "SYSTEM" } });
    const good = await jpeg(path.join(faces, "detection", "dlib_2007_007763.jpg"));
    const broken = Buffer.concat([good.subarray(0, 400), Buffer.alloc(600, 0x55), Buffer.from([0xff, 0xd9])]);
    const frameId = await sendFrame(camera, broken);
    const outcome = await finished(frameEvents, `frame.analyze-${frameId}`);
    expect(outcome).toEqual({ status: "corrupt", faces: 0, matched: 0 });
    expect(await (await ready(redis("producer"))).exists(key("frame", frameId))).toBe(0);
  });
});

describe("frame keys never outlive their job (invariant 1)", () => {
  it("a job that fails still deletes its frame key", async () => {
    const store = await makeStore();
    const camera = await registerCamera({ storeSlug: store.slug, name: "x", actor: { id: null, role: "SYSTEM" } });
    const frameId = crypto.randomUUID();
    await putFrame(frameId, await jpeg(path.join(faces, "detection", "dlib_2007_007763.jpg")), 30);
    const broken = {
      decode: async () => ({}),
      detect: async () => {
        throw new Error("detector crashed");
      },
    } as unknown as VisionPort;
    await expect(
      analyzeFrame(
        { frameId, cameraId: camera.cameraId, capturedAt: Date.now(), seq: 1, trackAt: Date.now() },
        { redis: await ready(redis("producer")), vision: broken, galleries: {} as GalleryCache },
      ),
    ).rejects.toThrow("detector crashed");
    expect(await (await ready(redis("producer"))).exists(key("frame", frameId))).toBe(0);
  });

  it("a frame nobody processes expires by its TTL", async () => {
    const frameId = crypto.randomUUID();
    await putFrame(frameId, Buffer.from("frame"), 1);
    const r = await ready(redis("producer"));
    expect(await r.pttl(key("frame", frameId))).toBeGreaterThan(0);
    expect(await r.pttl(key("frame", frameId))).toBeLessThanOrEqual(1000);
    await until(
      "the frame key to expire by its TTL",
      async () => (await r.exists(key("frame", frameId))) === 0,
      10_000,
    );
  });
});

describe("a consenting, enrolled, checked-in shopper", () => {
  it("is recognised in another photo, and a frame queued before a revocation writes nothing (invariants 3 and 4)", async () => {
    const store = await makeStore();
    const camera = await registerCamera({ storeSlug: store.slug, name: "Till", actor: { id: null, role: "SYSTEM" } });
    const shopper = await makeUser();
    const identity = path.join(faces, "verification", "faceapi_amy");
    // Enrolled at the kiosk from the first three photos; the fifth is what the camera sees.
    const probePhoto = readdirSync(identity).sort()[4];

    await grantConsent({ userId: shopper.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
    await checkInWithToken({ userId: shopper.id, storeSlug: store.slug });
    const { enrolmentId } = await enrolAtKiosk({
      userId: shopper.id,
      storeSlug: store.slug,
      frames: await burstOf(identity, 3),
    });
    const enrolled = await finished(enrolEvents, `enrol.kiosk-${enrolmentId}`);
    expect(enrolled).toEqual({ status: "ENROLLED" });
    const template = await db().faceTemplate.findUniqueOrThrow({ where: { userId: shopper.id } });
    expect(template.keyId).toBe(env().TEMPLATE_KEY_ID);
    expect(template.ciphertext!.length).toBe(12 + 16 + 512 * 4); // sealed, never the raw embedding
    expect(await (await ready(redis("producer"))).exists(burstKey(enrolmentId))).toBe(0);
    await checkOut({ userId: shopper.id, storeSlug: store.slug });

    // Presence-gated (the default): not checked in yet, so not matched.
    const probe = await jpeg(path.join(identity, probePhoto!));
    let frameId = await sendFrame(camera, probe);
    expect(await finished(frameEvents, `frame.analyze-${frameId}`)).toEqual({
      status: "analyzed",
      faces: 1,
      matched: 0,
    });

    await checkInWithToken({ userId: shopper.id, storeSlug: store.slug });
    // The shopper between two people who never enrolled: one visit, nothing for the others.
    const others = ["faceapi_leonard/leonard1.png", "faceapi_howard/howard1.png"].map((f) =>
      path.join(faces, "verification", f),
    );
    const crowd = await sharp({ create: { width: 450, height: 150, channels: 3, background: "#777" } })
      .composite([
        { input: readFileSync(others[0]!), left: 0, top: 0 },
        { input: readFileSync(path.join(identity, probePhoto!)), left: 150, top: 0 },
        { input: readFileSync(others[1]!), left: 300, top: 0 },
      ])
      .jpeg({ quality: 92 })
      .toBuffer();
    frameId = await sendFrame(camera, crowd);
    const crowdOutcome = await finished(frameEvents, `frame.analyze-${frameId}`);
    const detected = (await detectFaces(await decodeImage(crowd))).length;
    expect(detected).toBeGreaterThanOrEqual(3);
    expect(crowdOutcome).toEqual({ status: "analyzed", faces: detected, matched: 1 });
    const visits = await db().visit.findMany({ where: { userId: shopper.id } });
    expect(visits).toHaveLength(1);
    expect(visits[0]).toMatchObject({
      storeId: store.id,
      cameraIds: [camera.cameraId],
      sightings: 1,
      ageBand: null,
      gender: null,
    });
    expect(visits[0]!.recentSightings).toEqual([expect.stringMatching(new RegExp(`^${frameId}:\\d+$`))]);

    // Demographics only once granted (invariant 4).
    await grantConsent({ userId: shopper.id, storeSlug: store.slug, purpose: "demographics", noticeVersion: 1 });
    // Each step on a camera of its own: one camera's frames moments apart are one anonymous track,
    // which is recognised once and carries its result (track-recognition.ts), and these steps are
    // about each frame on its own.
    const till2 = await registerCamera({ storeSlug: store.slug, name: "Till 2", actor: { id: null, role: "SYSTEM" } });
    frameId = await sendFrame(till2, probe);
    expect(await finished(frameEvents, `frame.analyze-${frameId}`)).toEqual({
      status: "analyzed",
      faces: 1,
      matched: 1,
    });
    // The same stay, one sighting more, now with an age band and gender.
    const withDemo = await db().visit.findFirstOrThrow({ where: { userId: shopper.id } });
    expect(withDemo).toMatchObject({ id: visits[0]!.id, sightings: 2 });
    expect(withDemo.ageBand).toMatch(/^(<18|\d\d-\d\d|65\+)$/);
    expect(["female", "male"]).toContain(withDemo.gender);

    // A frame already queued when the revocation commits writes nothing (invariant 3; invariant 5
    // on its own is revocation-invalidates-gallery.int.test.ts). The queue is resumed whatever
    // happens, so a failure here cannot stall the frame queue of later files.
    const till3 = await registerCamera({ storeSlug: store.slug, name: "Till 3", actor: { id: null, role: "SYSTEM" } });
    await frameQueue.pause();
    try {
      frameId = await sendFrame(till3, probe);
      expect(await db().visit.count({ where: { userId: shopper.id } })).toBe(1); // one stay, whichever camera
      await revokeConsent({ userId: shopper.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
      expect(await db().faceTemplate.count({ where: { userId: shopper.id } })).toBe(0); // revoking deletes the template
      expect(await db().visit.count({ where: { userId: shopper.id } })).toBe(0); // and the visits recorded here
    } finally {
      await frameQueue.resume();
    }
    expect(await finished(frameEvents, `frame.analyze-${frameId}`)).toEqual({
      status: "analyzed",
      faces: 1,
      matched: 0,
    });
    const till4 = await registerCamera({ storeSlug: store.slug, name: "Till 4", actor: { id: null, role: "SYSTEM" } });
    frameId = await sendFrame(till4, probe);
    expect(await finished(frameEvents, `frame.analyze-${frameId}`)).toEqual({
      status: "analyzed",
      faces: 1,
      matched: 0,
    });
    expect(await db().visit.count({ where: { userId: shopper.id } })).toBe(0);
  });

  it("a kiosk burst with two faces, a too-small face or no face is refused with the reason, and the frames deleted", async () => {
    const store = await makeStore();
    const amy = await burstOf(path.join(faces, "verification", "faceapi_amy"), 2);
    for (const [image, reason] of [
      [await jpeg(path.join(faces, "detection", "dlib_2008_001009.jpg")), "several_faces"],
      [
        await sharp(readFileSync(path.join(faces, "verification", "faceapi_amy", "amy3.png")))
          .resize(72, 72)
          .jpeg()
          .toBuffer(),
        "face_too_small",
      ],
      [await jpeg(path.join(faces, "detection", "neg_opencv_orange.jpg")), "no_face"],
    ] as const) {
      const shopper = await makeUser();
      await grantConsent({ userId: shopper.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
      await checkInWithToken({ userId: shopper.id, storeSlug: store.slug });
      // Two good frames and the bad one: every frame must pass.
      const { enrolmentId } = await enrolAtKiosk({
        userId: shopper.id,
        storeSlug: store.slug,
        frames: [...amy, image],
      });
      expect(await finished(enrolEvents, `enrol.kiosk-${enrolmentId}`)).toEqual({ status: "REJECTED", reason });
      expect(await db().faceTemplate.findUniqueOrThrow({ where: { userId: shopper.id } })).toMatchObject({
        status: "REJECTED",
        rejectReason: reason,
        ciphertext: null,
      });
      expect(await db().kioskEnrolment.findUniqueOrThrow({ where: { id: enrolmentId } })).toMatchObject({
        status: "REFUSED",
        reason,
      });
      expect(await (await ready(redis("producer"))).exists(burstKey(enrolmentId))).toBe(0);
    }
  });

  it("a kiosk burst mixing two people is refused as identity_mismatch; one person's burst is enrolled", async () => {
    const store = await makeStore();
    const mixed = [
      ...(await burstOf(path.join(faces, "verification", "faceapi_amy"), 2)),
      ...(await burstOf(path.join(faces, "verification", "faceapi_penny"), 1)),
    ];
    const shopper = await makeUser();
    await grantConsent({ userId: shopper.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
    await checkInWithToken({ userId: shopper.id, storeSlug: store.slug });
    let { enrolmentId } = await enrolAtKiosk({ userId: shopper.id, storeSlug: store.slug, frames: mixed });
    expect(await finished(enrolEvents, `enrol.kiosk-${enrolmentId}`)).toEqual({
      status: "REJECTED",
      reason: "identity_mismatch",
    });
    ({ enrolmentId } = await enrolAtKiosk({
      userId: shopper.id,
      storeSlug: store.slug,
      frames: await burstOf(path.join(faces, "verification", "deepface_id08"), 4),
    }));
    expect(await finished(enrolEvents, `enrol.kiosk-${enrolmentId}`)).toEqual({ status: "ENROLLED" });
  });
});
