import { createHash, createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "../fixtures/test.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { closeQueues, queue } from "../../lib/jobs/queues.ts";
import { facesDir } from "../../tests/faces.ts";

const FACES = facesDir();
const PATH = "/api/ingest/frames";
const sign = (secret: string, ts: string, body: Buffer) =>
  `v1=${createHmac("sha256", secret)
    .update(`POST\n${PATH}\n${ts}\n${createHash("sha256").update(body).digest("hex")}`)
    .digest("hex")}`;

/** Frame jobs of one camera in any state: the e2e server's worker drains the queue, so the
 * waiting count says nothing; the jobs it finished are still listed (removeOnComplete keeps 1,000). */
async function frameJobsOf(cameraId: string): Promise<string[]> {
  const jobs = await queue("frames").getJobs(["waiting", "active", "delayed", "prioritized", "completed", "failed"]);
  return jobs.filter((j) => (j?.data as { cameraId?: string } | undefined)?.cameraId === cameraId).map((j) => j.id!);
}
test.afterAll(async () => {
  await closeQueues();
});

test("1,000 malformed and forged ingest requests: only 4xx, nothing queued", async ({ request }) => {
  test.setTimeout(180_000);
  const cam = await registerCamera({ storeSlug: "demo", name: "abuse target", actor: { id: null, role: "SYSTEM" } });
  const jpeg = readFileSync(path.join(FACES, "detection", "dlib_2008_001009.jpg"));
  const now = () => String(Math.floor(Date.now() / 1000));
  const replayTs = now();
  const replayed = {
    "content-type": "image/jpeg",
    "x-veil-camera": cam.cameraId,
    "x-veil-timestamp": replayTs,
    "x-veil-signature": sign(cam.secret, replayTs, jpeg),
  };
  const good = await request.post(PATH, { headers: replayed, data: jpeg }); // the one good request
  expect(good.status()).toBe(202);
  const { frameId } = (await good.json()) as { frameId: string };

  const kinds = [
    () => ({
      headers: {
        "content-type": "image/jpeg",
        "x-veil-camera": cam.cameraId,
        "x-veil-timestamp": now(),
        "x-veil-signature": `v1=${randomBytes(32).toString("hex")}`,
      },
      data: randomBytes(2000),
    }),
    () => {
      const body = jpeg.subarray(0, 1 + Math.floor(Math.random() * (jpeg.length - 1)));
      const ts = now();
      return {
        headers: {
          "content-type": "image/jpeg",
          "x-veil-camera": cam.cameraId,
          "x-veil-timestamp": ts,
          "x-veil-signature": sign(cam.secret, ts, body),
        },
        data: body,
      };
    },
    () => ({
      headers: {
        "content-type": "image/jpeg",
        "x-veil-camera": cam.cameraId,
        "x-veil-timestamp": now(),
        "x-veil-signature": sign("wrong-secret", now(), jpeg),
      },
      data: jpeg,
    }),
    () => ({ headers: replayed, data: jpeg }),
    () => ({
      headers: {
        "content-type": "image/jpeg",
        "x-veil-camera": "cam_" + randomBytes(6).toString("hex"),
        "x-veil-timestamp": now(),
        "x-veil-signature": sign(cam.secret, now(), jpeg),
      },
      data: jpeg,
    }),
    () => ({ headers: { "content-type": "text/plain", "x-veil-camera": cam.cameraId }, data: Buffer.from("hello") }),
    () => ({
      headers: {
        "content-type": "image/jpeg",
        "x-veil-camera": cam.cameraId,
        "x-veil-timestamp": now(),
        "x-veil-signature": "v1=" + "a".repeat(6000),
        "x-padding": "x".repeat(6000),
      },
      data: jpeg,
    }),
    () => ({
      headers: {
        "content-type": "image/jpeg",
        "x-veil-camera": '\'; DROP TABLE "Visit"; --',
        "x-veil-timestamp": "-1",
        "x-veil-signature": "",
      },
      data: jpeg,
    }),
  ];
  const statuses = new Map<number, number>();
  for (let i = 0; i < 1000; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: 20 }, (_, j) => {
        const { headers, data } = kinds[(i + j) % kinds.length]!();
        return request.post(PATH, { headers, data }).then((r) => r.status());
      }),
    );
    for (const s of batch) statuses.set(s, (statuses.get(s) ?? 0) + 1);
  }
  const bad = [...statuses.keys()].filter((s) => s < 400 || s >= 500);
  expect(bad, JSON.stringify(Object.fromEntries(statuses))).toEqual([]);
  expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(1000);
  // Exactly one job for this camera: the good request's. (Memory under load is measured by
  // npm run bench:load, not asserted here; the body limit is the 413 case of admin-cameras.spec.ts.)
  expect(await frameJobsOf(cam.cameraId)).toEqual([`frame.analyze-${frameId}`]);
});

test("metrics count refusals by reason, and health reports every dependency", async ({ request }) => {
  // Both need the scraper's token (e2e/security/attacks.spec.ts, row 8).
  const headers = { authorization: `Bearer ${process.env.METRICS_TOKEN}` };
  const metrics = await (await request.get("/api/metrics", { headers })).text();
  expect(metrics).toContain("# TYPE veil_frames_rejected_total counter");
  expect(metrics).toMatch(/veil_frames_rejected_total\{reason="bad_signature"\} \d+/);
  expect(metrics).toContain("# TYPE veil_frame_latency_seconds histogram");
  expect(metrics).toContain('veil_queue_jobs{queue="frames",state="waiting"}');
  const health = await (await request.get("/api/health", { headers })).json();
  expect(health).toMatchObject({ status: "ok", database: "ok", redis: "ok", models: "ok" });
  expect(health.queues).toHaveProperty("frames");
});
