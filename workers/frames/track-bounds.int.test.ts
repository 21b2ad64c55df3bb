// Recognition once per track and the motion gate, against real PostgreSQL, Redis and the ONNX
// models, with every embedding counted where the pipeline asks for it (the VisionPort).
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db.ts";
import { env, resetEnvForTests } from "../../lib/env.ts";
import { makeStore } from "../../tests/fixtures.ts";
import { checkedInShopper } from "../../tests/shopper-in-store.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { sendFrame, type TestCamera } from "../../tests/send-frame.ts";
import { facesDir } from "../../tests/faces.ts";
import { untilFrameJobsFinish } from "../../tests/frame-jobs.ts";
import { viewFrame, VIEW } from "../../tests/walk-frames.ts";
import { startWorkers } from "../main.ts";
import { createVision } from "./onnx-vision.ts";
import type { VisionPort } from "./vision-port.ts";

let stop: (() => Promise<void>) | undefined;
let embeddings = 0;
const redacted: { x: number; y: number; w: number; h: number }[][] = [];

beforeAll(async () => {
  const real = (await createVision()) as unknown as VisionPort;
  const counting: VisionPort = {
    ...real,
    embed: async (img, face) => {
      embeddings++;
      return real.embed(img, face);
    },
    redact: async (img, faces) => {
      redacted.push(faces.map((f) => f.box));
      return real.redact(img, faces);
    },
  };
  stop = await startWorkers({ queues: ["frames"], vision: counting });
}, 120_000);
afterAll(async () => {
  await stop?.();
});

/** Sends the frames one after the other, `stepMs` apart on the ingest clock, each once the last finished. */
async function play(camera: TestCamera, frames: Buffer[], stepMs: number) {
  // An even second: the 2 s visit slots then split the frames the same way on every run.
  const t0 = 2 * Math.floor(Date.now() / 2000) - 30;
  const out = [];
  for (let i = 0; i < frames.length; i++) {
    const now = t0 * 1000 + i * stepMs;
    const id = await sendFrame(camera, frames[i]!, { timestamp: Math.floor(now / 1000), now });
    out.push((await untilFrameJobsFinish([id], 30_000))[0]!.returnvalue as { status: string; matched: number });
  }
  return out;
}

const admin = { id: null, role: "SYSTEM" } as const;

describe("recognition once per track (invariant 11)", () => {
  it("a non-consenting person walking up to the camera costs at most TRACK_MAX_EMBEDDINGS embeddings; a shopper one", async () => {
    const faces = facesDir();
    const store = await makeStore();
    const identity = path.join(faces, "verification", "faceapi_amy");
    const { shopper } = await checkedInShopper(store.slug, identity); // the gallery is not empty
    const passerBy = path.join(faces, "verification", "faceapi_leonard", "leonard1.png");
    const cx = VIEW.width / 2;
    const cy = VIEW.height / 2;
    // Each frame's face clearly bigger than the last: without the bound, every one would be embedded.
    const sides = [110, 143, 186, 242, 315, 340];
    const approaching = await Promise.all(sides.map((side) => viewFrame([{ photo: passerBy, x: cx, y: cy, side }])));
    const door = await registerCamera({ storeSlug: store.slug, name: "door", actor: admin });
    embeddings = 0;
    const out = await play(door, approaching, 400);
    expect(out.map((o) => o.status)).toEqual(sides.map(() => "analyzed"));
    expect(embeddings).toBeGreaterThanOrEqual(1);
    expect(embeddings).toBeLessThanOrEqual(env().TRACK_MAX_EMBEDDINGS);

    // The shopper standing in view: matched once, then the match is carried along the track.
    const shopperPhoto = path.join(identity, readdirSync(identity).sort()[1]!);
    const standing = await Promise.all(
      [0, 1, 2, 3, 4, 5].map((i) => viewFrame([{ photo: shopperPhoto, x: cx + i * 6, y: cy, side: 200 }])),
    );
    const till = await registerCamera({ storeSlug: store.slug, name: "till", actor: admin });
    embeddings = 0;
    const seen = await play(till, standing, 1000);
    expect(embeddings).toBe(1);
    // One frame in each 2 s slot of the stay records a sighting (recordVisit re-checks consent), all
    // of one visit.
    expect(seen.reduce((a, o) => a + o.matched, 0)).toBe(3);
    const visits = await db().visit.findMany({ where: { userId: shopper.id, cameraIds: { has: till.cameraId } } });
    expect(visits.map((v) => v.sightings)).toEqual([3]);
  });
});

describe("motion gate", () => {
  const stillFrames = () => {
    const person = path.join(facesDir(), "verification", "faceapi_howard", "howard1.png");
    return Promise.all([1, 2, 3, 4, 5, 6].map((m) => viewFrame([{ photo: person, x: 200, y: 180, side: 150 }], m)));
  };
  /** Sends each frame at its time (ms after t0 on the ingest clock) once the last finished; their statuses. */
  async function sendAt(camera: TestCamera, frames: Buffer[], times: number[]) {
    const t0 = Math.floor(Date.now() / 1000) - 30;
    const out = [];
    for (const [i, body] of frames.entries()) {
      const now = t0 * 1000 + times[i]!;
      const id = await sendFrame(camera, body, { timestamp: Math.floor(now / 1000), now });
      out.push(((await untilFrameJobsFinish([id], 30_000))[0]!.returnvalue as { status: string }).status);
    }
    return out;
  }

  it("frames unchanged since the last detected one skip detection and are counted as skipped; one is detected at least every 2 s", async () => {
    const store = await makeStore();
    const camera = await registerCamera({ storeSlug: store.slug, name: "aisle", actor: admin });
    const person = path.join(facesDir(), "verification", "faceapi_howard", "howard1.png");
    const moved = await viewFrame([{ photo: person, x: 420, y: 180, side: 150 }], 7);
    // 0, 300, 600, 900, 1200 ms: unchanged within 2 s of the detected first; 2400 ms: forced; then moved.
    const out = await sendAt(camera, [...(await stillFrames()), moved], [0, 300, 600, 900, 1200, 2400, 2700]);
    expect(out).toEqual([
      "analyzed",
      "motion-skipped",
      "motion-skipped",
      "motion-skipped",
      "motion-skipped",
      "analyzed",
      "analyzed",
    ]);
    const buckets = await db().footfallBucket.findMany({ where: { cameraId: camera.cameraId } });
    expect(buckets.reduce((a, b) => a + b.motionSkipped, 0)).toBe(4);
    expect(buckets.reduce((a, b) => a + b.frames, 0)).toBe(7);
  });

  it("MOTION_GATE=off: the same unchanged frames are all detected, none counted as skipped", async () => {
    const store = await makeStore();
    const camera = await registerCamera({ storeSlug: store.slug, name: "aisle off", actor: admin });
    const frames = await stillFrames();
    // The in-process worker reads env() per frame, so the switch applies to the next frame.
    process.env.MOTION_GATE = "off";
    resetEnvForTests();
    try {
      const out = await sendAt(camera, frames, [0, 300, 600, 900, 1200, 1500]);
      expect(out).toEqual(frames.map(() => "analyzed"));
    } finally {
      delete process.env.MOTION_GATE;
      resetEnvForTests();
    }
    const buckets = await db().footfallBucket.findMany({ where: { cameraId: camera.cameraId } });
    expect(buckets.reduce((a, b) => a + b.motionSkipped, 0)).toBe(0);
    expect(buckets.reduce((a, b) => a + b.frames, 0)).toBe(6);
  });
});

describe("tracks protect as well as count (invariant 7)", () => {
  it("a kept frame blurs the predicted box of a person the detector missed in it", async () => {
    const faces = facesDir();
    const store = await makeStore();
    await db().store.update({ where: { id: store.id }, data: { keepFrames: true, frameRetentionDays: 1 } });
    const camera = await registerCamera({ storeSlug: store.slug, name: "exit", actor: admin });
    const person = path.join(faces, "verification", "faceapi_howard", "howard1.png");
    // Seen in three frames (a confirmed track), then a frame in which the detector finds nobody.
    const seen = await Promise.all(
      [0, 1, 2].map((i) => viewFrame([{ photo: person, x: 300 + i * 10, y: 180, side: 150 }])),
    );
    const missed = await viewFrame([], 9);
    redacted.length = 0;
    const out = await play(camera, [...seen, missed], 200);
    expect(out.map((o) => o.status)).toEqual(["analyzed", "analyzed", "analyzed", "analyzed"]);
    expect(redacted).toHaveLength(4);
    const last = redacted[3]!;
    // No detection in the last frame, yet one box blurred: where the track was heading.
    expect(last).toHaveLength(1);
    const prev = redacted[2]![0]!;
    expect(Math.abs(last[0]!.x - prev.x)).toBeLessThan(prev.w);
    expect(Math.abs(last[0]!.y - prev.y)).toBeLessThan(prev.h);
  });
});
