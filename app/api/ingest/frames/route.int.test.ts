// The ingest route handler itself (the function Next serves), over real PostgreSQL and Redis: a
// camera over its frames-per-second answers HTTP 429 with a Retry-After header and a JSON error
// code, and the refused frame leaves nothing behind.
process.env.CAMERA_MAX_FPS = "3";

import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { key, ready, redis, scanKeys } from "@/lib/redis.ts";
import { makeStore } from "@/tests/fixtures.ts";
import { registerCamera } from "@/lib/cameras/register-camera.ts";
import { INGEST_PATH } from "@/lib/ingest/accept-frame.ts";
import { SIGNATURE_HEADERS, signFrame } from "@/lib/ingest/frame-signature.ts";
import { queue } from "@/lib/jobs/queues.ts";
import { POST } from "./route.ts";

const jobs: string[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const id of jobs.splice(0)) await (await queue("frames").getJob(id))?.remove();
});

const jpeg = () =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    randomBytes(16),
    Buffer.alloc(200, 7),
    Buffer.from([0xff, 0xd9]),
  ]);

function post(cameraId: string, secret: string, timestamp: string, body = jpeg()) {
  return POST(
    new Request(`http://localhost${INGEST_PATH}`, {
      method: "POST",
      headers: {
        "content-type": "image/jpeg",
        [SIGNATURE_HEADERS.camera]: cameraId,
        [SIGNATURE_HEADERS.timestamp]: timestamp,
        [SIGNATURE_HEADERS.signature]: signFrame(secret, "POST", INGEST_PATH, timestamp, body),
      },
      body,
    }),
  );
}

describe("POST /api/ingest/frames", () => {
  it("answers 429 with Retry-After once a camera is over its frames per second, and keeps nothing of the refused frame", async () => {
    const store = await makeStore();
    const cam = await registerCamera({ storeSlug: store.slug, name: "Busy door", actor: { id: null, role: "SYSTEM" } });
    // The limit counts frames per server second: the clock (Date only) is pinned to the start of
    // one, so the four posts cannot fall into two seconds.
    const second = Math.floor(Date.now() / 1000) + 1;
    vi.useFakeTimers({ toFake: ["Date"], now: second * 1000 });
    const r = await ready(redis("producer"));
    const waiting = () => queue("frames").getJobCountByTypes("waiting", "prioritized", "delayed");
    const before = await waiting();
    for (let i = 0; i < 3; i++) {
      const ok = await post(cam.cameraId, cam.secret, String(second));
      expect(ok.status).toBe(202);
      jobs.push(`frame.analyze-${((await ok.json()) as { frameId: string }).frameId}`);
    }
    const keysBefore = await scanKeys(r, key("frame", "*"));

    const refused = await post(cam.cameraId, cam.secret, String(second));
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(await refused.json()).toMatchObject({ error: "rate_limited" });
    expect((await scanKeys(r, key("frame", "*"))).sort()).toEqual(keysBefore.sort());
    expect(await waiting()).toBe(before + 3);

    // The next second the camera is heard again.
    vi.setSystemTime((second + 1) * 1000);
    const next = await post(cam.cameraId, cam.secret, String(second + 1));
    expect(next.status).toBe(202);
    jobs.push(`frame.analyze-${((await next.json()) as { frameId: string }).frameId}`);
  });
});
