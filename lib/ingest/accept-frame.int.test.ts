// Ingest refusals against real PostgreSQL and Redis: every bad request gets a clear error and
// leaves no frame key and no job behind.
process.env.CAMERA_MAX_FPS = "3";
process.env.FRAME_QUEUE_LIMIT = "4";

import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { key, ready, redis, scanKeys } from "../redis.ts";
import { isAppError } from "../errors/app-error.ts";
import { makeStore } from "../../tests/fixtures.ts";
import { registerCamera } from "../cameras/register-camera.ts";
import { setCameraEnabled } from "../cameras/set-camera-enabled.ts";
import { rotateCameraSecret } from "../cameras/rotate-camera-secret.ts";
import { acceptFrame, INGEST_PATH } from "./accept-frame.ts";
import { signFrame } from "./frame-signature.ts";
import { queue } from "../jobs/queues.ts";

const admin = { id: null, role: "SYSTEM" };

function jpeg(seed = randomBytes(8)): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), seed, Buffer.alloc(200, 7), Buffer.from([0xff, 0xd9])]);
}

let second = Math.floor(Date.now() / 1000) - 30;
function signed(cameraId: string, secret: string, body: Buffer, ts = ++second) {
  const timestamp = String(ts);
  return {
    cameraId,
    timestamp,
    signature: signFrame(secret, "POST", INGEST_PATH, timestamp, body),
    body,
    now: ts * 1000,
  };
}

async function frameKeys(): Promise<string[]> {
  return scanKeys(await ready(redis("producer")), key("frame", "*"));
}
async function queued(): Promise<number> {
  return queue("frames").getJobCountByTypes("waiting", "prioritized", "delayed");
}
async function expectRefused(attempt: () => Promise<unknown>, code: string) {
  const before = { keys: (await frameKeys()).length, jobs: await queued() };
  const err = await attempt().catch((e) => e);
  expect(isAppError(err, code as never), `expected ${code}, got ${String(err)}`).toBe(true);
  expect({ keys: (await frameKeys()).length, jobs: await queued() }).toEqual(before);
}

beforeEach(async () => {
  await queue("frames").obliterate({ force: true });
});

describe("signed frame ingest", () => {
  it("accepts a signed JPEG: frame bytes in Redis with a short TTL, a job with ids only", async () => {
    const store = await makeStore();
    const cam = await registerCamera({ storeSlug: store.slug, name: "Door", actor: admin });
    const body = jpeg();
    const { frameId } = await acceptFrame(signed(cam.cameraId, cam.secret, body));
    const r = await ready(redis("producer"));
    expect(Buffer.compare((await r.getBuffer(key("frame", frameId)))!, body)).toBe(0);
    const ttl = await r.ttl(key("frame", frameId));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
    const job = await queue("frames").getJob(`frame.analyze-${frameId}`);
    expect(Object.keys(job!.data).sort()).toEqual(["cameraId", "capturedAt", "frameId", "seq", "trackAt"]);
    expect(job!.data.frameId).toBe(frameId);
    // Each camera numbers its frames 1, 2, 3, ... (the tracker applies them in that order).
    expect(job!.data.seq).toBe(1);
    const next = await acceptFrame(signed(cam.cameraId, cam.secret, jpeg()));
    expect((await queue("frames").getJob(`frame.analyze-${next.frameId}`))!.data.seq).toBe(2);
  });

  it("refuses unknown cameras, bad signatures, stale clocks, replays, disabled cameras and non-JPEG bodies", async () => {
    const store = await makeStore();
    const cam = await registerCamera({ storeSlug: store.slug, name: "Till", actor: admin });
    const body = jpeg();
    await expectRefused(() => acceptFrame(signed("cam_doesnotexist", cam.secret, body)), "bad_signature");
    await expectRefused(() => acceptFrame(signed(cam.cameraId, "forged-secret", body)), "bad_signature");
    await expectRefused(
      () => acceptFrame({ ...signed(cam.cameraId, cam.secret, body), signature: null }),
      "bad_signature",
    );
    const stale = signed(cam.cameraId, cam.secret, body);
    await expectRefused(() => acceptFrame({ ...stale, now: stale.now + 61_000 }), "bad_signature");
    // signature for one body, another body sent
    await expectRefused(
      () => acceptFrame({ ...signed(cam.cameraId, cam.secret, body), body: jpeg() }),
      "bad_signature",
    );
    await expectRefused(
      () => acceptFrame(signed(cam.cameraId, cam.secret, Buffer.from("GIF89a not a jpeg at all".padEnd(300, "x")))),
      "not_jpeg",
    );
    await expectRefused(() => acceptFrame(signed(cam.cameraId, cam.secret, jpeg().subarray(0, 150))), "not_jpeg");

    const once = signed(cam.cameraId, cam.secret, jpeg());
    await acceptFrame(once);
    await expectRefused(() => acceptFrame(once), "replayed");

    await setCameraEnabled({ cameraId: cam.cameraId, enabled: false, actor: admin });
    await expectRefused(() => acceptFrame(signed(cam.cameraId, cam.secret, jpeg())), "camera_disabled");
  });

  it("a rotated secret replaces the old one at once", async () => {
    const store = await makeStore();
    const cam = await registerCamera({ storeSlug: store.slug, name: "Back", actor: admin });
    const { secret } = await rotateCameraSecret({ cameraId: cam.cameraId, actor: admin });
    await expectRefused(() => acceptFrame(signed(cam.cameraId, cam.secret, jpeg())), "bad_signature");
    await expect(acceptFrame(signed(cam.cameraId, secret, jpeg()))).resolves.toHaveProperty("frameId");
  });

  it("rate-limits each camera per second with Retry-After", async () => {
    const store = await makeStore();
    const cam = await registerCamera({ storeSlug: store.slug, name: "Busy", actor: admin });
    const ts = ++second;
    for (let i = 0; i < 3; i++) await acceptFrame(signed(cam.cameraId, cam.secret, jpeg(), ts));
    const err = await acceptFrame(signed(cam.cameraId, cam.secret, jpeg(), ts)).catch((e) => e);
    expect(isAppError(err, "rate_limited")).toBe(true);
    expect(err.retryAfter).toBe(1);
  });

  it("answers 503 with Retry-After when the frame queue is full, storing nothing", async () => {
    const store = await makeStore();
    const cam = await registerCamera({ storeSlug: store.slug, name: "Crowd", actor: admin });
    for (let i = 0; i < 4; i++) await acceptFrame(signed(cam.cameraId, cam.secret, jpeg()));
    await expectRefused(() => acceptFrame(signed(cam.cameraId, cam.secret, jpeg())), "queue_full");
  });

  it("only admins register cameras", async () => {
    const store = await makeStore();
    const err = await registerCamera({ storeSlug: store.slug, name: "X", actor: { id: "u1", role: "SUPPORT" } }).catch(
      (e) => e,
    );
    expect(isAppError(err, "forbidden")).toBe(true);
  });
});
