// A camera that stops sending frames must still count its people out (issue 16: "a person is
// counted once however many frames miss them"; footfall exits and dwell), against real PostgreSQL,
// Redis and the ONNX models. The sweep is called with a clock moved past QUIET_MS instead of
// waiting for it.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db.ts";
import { ready, redis } from "../../lib/redis.ts";
import { trackKeys } from "../../lib/tracking/track-keys.ts";
import { makeStore } from "../../tests/fixtures.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { sendFrame, type TestCamera } from "../../tests/send-frame.ts";
import { facesDir } from "../../tests/faces.ts";
import { untilFrameJobsFinish } from "../../tests/frame-jobs.ts";
import { viewFrame, VIEW } from "../../tests/walk-frames.ts";
import { startWorkers } from "../main.ts";
import { closeQuietTracks, QUIET_MS } from "./close-quiet-tracks.ts";

let stop: (() => Promise<void>) | undefined;
beforeAll(async () => {
  stop = await startWorkers({ queues: ["frames"] });
}, 120_000);
afterAll(async () => {
  await stop?.();
});

const admin = { id: null, role: "SYSTEM" } as const;

/** One person standing in view for `n` frames, 400 ms apart on the ingest clock. */
async function standing(camera: TestCamera, n: number, t0: number) {
  const photo = path.join(facesDir(), "verification", "faceapi_leonard", "leonard1.png");
  for (let i = 0; i < n; i++) {
    const jpeg = await viewFrame([{ photo, x: VIEW.width / 2 + i * 4, y: VIEW.height / 2, side: 160 }], i + 1);
    const now = t0 + i * 400;
    const id = await sendFrame(camera, jpeg, { timestamp: Math.floor(now / 1000), now });
    const [job] = await untilFrameJobsFinish([id], 30_000);
    expect(job!.returnvalue).toMatchObject({ status: "analyzed" });
  }
}

async function counts(cameraId: string) {
  const b = await db().footfallBucket.aggregate({
    where: { cameraId },
    _sum: { entries: true, exits: true, dwellUnder1m: true, frames: true },
  });
  return { entries: b._sum.entries ?? 0, exits: b._sum.exits ?? 0, under1m: b._sum.dwellUnder1m ?? 0 };
}

describe("a camera gone quiet (tracks.quiet)", () => {
  it("counts the people in view out once, with their dwell, and the next frame starts afresh", async () => {
    const store = await makeStore();
    const door = await registerCamera({ storeSlug: store.slug, name: "door", actor: admin });
    await standing(door, 5, Date.now() - 10_000);
    expect(await counts(door.cameraId)).toEqual({ entries: 1, exits: 0, under1m: 0 });

    const r = await ready(redis("producer"));
    // Frames just came: not quiet yet.
    await closeQuietTracks(r);
    expect(await counts(door.cameraId)).toEqual({ entries: 1, exits: 0, under1m: 0 });

    // The camera says nothing more; past QUIET_MS the person is counted out, with a dwell under a minute.
    await closeQuietTracks(r, Date.now() + QUIET_MS + 1000);
    expect(await counts(door.cameraId)).toEqual({ entries: 1, exits: 1, under1m: 1 });
    expect(await r.zscore(trackKeys.active(), door.cameraId)).toBeNull();
    // Once: a second sweep finds nothing to end.
    await closeQuietTracks(r, Date.now() + 2 * QUIET_MS);
    expect(await counts(door.cameraId)).toEqual({ entries: 1, exits: 1, under1m: 1 });

    // The person seen again later is a new stay in view: a new entry, not the old track extended.
    await standing(door, 4, Date.now());
    expect(await counts(door.cameraId)).toEqual({ entries: 2, exits: 1, under1m: 1 });
  });

  it("a camera whose frames wait in a backlog is not quiet: its tracks are kept", async () => {
    const store = await makeStore();
    const door = await registerCamera({ storeSlug: store.slug, name: "door", actor: admin });
    await standing(door, 4, Date.now() - 10_000);
    const r = await ready(redis("producer"));
    // A frame ingested (numbered) but not yet applied, as when every worker is busy.
    await r.incr(trackKeys.seq(door.cameraId));
    await closeQuietTracks(r, Date.now() + QUIET_MS + 1000);
    expect(await counts(door.cameraId)).toEqual({ entries: 1, exits: 0, under1m: 0 });
    expect(await r.zscore(trackKeys.active(), door.cameraId)).not.toBeNull();
  });
});
