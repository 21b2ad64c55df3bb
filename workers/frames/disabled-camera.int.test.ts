// Issue 10, row 15: frames a camera sent before it was disabled are not analysed afterwards. The
// vision port here fails the test if it is reached; the frame key is still deleted (invariant 1).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { key, ready, redis } from "../../lib/redis.ts";
import { makeStore } from "../../tests/fixtures.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { setCameraEnabled } from "../../lib/cameras/set-camera-enabled.ts";
import { putFrame } from "../../lib/frames/frame-store.ts";
import { analyzeFrame } from "./analyze-frame.ts";
import type { VisionPort } from "./vision-port.ts";
import type { GalleryCache } from "./gallery-cache.ts";

describe("frames of a disabled camera", () => {
  it("frames queued before a camera was disabled are dropped unanalysed, and their key is deleted", async () => {
    const store = await makeStore();
    const camera = await registerCamera({ storeSlug: store.slug, name: "door", actor: { id: null, role: "SYSTEM" } });
    const frameId = randomUUID();
    await putFrame(frameId, Buffer.from("a queued frame"), 30);
    await setCameraEnabled({ cameraId: camera.cameraId, enabled: false, actor: { id: null, role: "SYSTEM" } });
    const reached: string[] = [];
    const vision = {
      decode: async () => (reached.push("decode"), {}),
      detect: async () => (reached.push("detect"), []),
    } as unknown as VisionPort;
    const r = await ready(redis("producer"));
    const outcome = await analyzeFrame(
      { frameId, cameraId: camera.cameraId, capturedAt: Date.now(), seq: 1, trackAt: Date.now() },
      { redis: r, vision, galleries: {} as GalleryCache },
    );
    expect(outcome).toEqual({ status: "camera-disabled", faces: 0, matched: 0 });
    expect(reached).toEqual([]);
    expect(await r.exists(key("frame", frameId))).toBe(0);
  });
});
