// npm run bench:pipeline [-- --cameras 4 --fps 2 --seconds 20 --workers 2]
// npm run bench:load     (= --ramp 2,4,8,12,16 --fps 1 --seconds 20)
// npm run bench:pipeline -- --static [--cameras 2 --fps 2 --seconds 30]: motion gate on vs off
// (scripts/bench/pipeline-static.ts; writes bench-results/pipeline-motion.json)
// Simulated cameras post signed 720p frames over HTTP to an isolated copy of the whole stack
// (app + worker processes, own database and Redis prefix). Prints accepted and processed frames per
// second, ingest-to-done latency p50/p95/p99, drops (429/503), the longest a raw frame lived in
// Redis, revocation-to-effect latency, CPU and memory; writes bench-results/pipeline.json.
import { execSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startIsolatedStack } from "./lib/isolated-stack.ts";
import { composeFrames } from "./bench/frames.ts";
import { postFrame } from "./camera-sim.ts";
import { runBench, writeResults } from "./lib/bench-output.ts";
import { runStatic } from "./bench/pipeline-static.ts";

const root = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    cameras: { type: "string", default: "4" },
    fps: { type: "string", default: "2" },
    seconds: { type: "string", default: "20" },
    workers: { type: "string", default: "2" },
    ramp: { type: "string" },
    faces: { type: "string" },
    json: { type: "string" },
    static: { type: "boolean", default: false },
  },
});
const facesDir = path.resolve(values.faces ?? process.env.FACES_DIR ?? path.join(root, "../shared/faces"));
if (!existsSync(path.join(facesDir, "detection/boxes.json"))) {
  console.error(`faces folder not found: ${facesDir} (pass --faces or set FACES_DIR)`);
  process.exit(2);
}
const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]! : NaN;

function cpuTimes() {
  const [, ...nums] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/);
  const n = nums.map(Number);
  return { idle: n[3]! + n[4]!, total: n.reduce((a, b) => a + b, 0) };
}
function rssMb(pgids: number[]): number {
  let kb = 0;
  for (const g of pgids) {
    try {
      kb += execSync(`ps -o rss= -g ${g}`, { encoding: "utf8" })
        .split("\n")
        .filter(Boolean)
        .reduce((a, l) => a + Number(l.trim()), 0);
    } catch {}
  }
  return Math.round(kb / 1024);
}

async function main() {
  if (!existsSync(path.join(root, ".next/BUILD_ID"))) execSync("npx next build", { stdio: "inherit", cwd: root });
  if (values.static) {
    const n = (v: string | undefined) => Number(v);
    const o = {
      cameras: n(values.cameras),
      fps: n(values.fps),
      seconds: n(values.seconds),
      workers: n(values.workers),
    };
    return runStatic({ root, facesDir, ...o }, values.json);
  }
  const stack = await startIsolatedStack({ workers: Number(values.workers), root });
  Object.assign(process.env, stack.env);
  const { registerCamera } = await import("../lib/cameras/register-camera.ts");
  const { QueueEvents } = await import("bullmq");
  const { createRedis, closeRedis } = await import("../lib/redis.ts");
  const { bullPrefix } = await import("../lib/jobs/queues.ts");
  const { db, disconnectDb } = await import("../lib/db.ts");
  const { grantConsent } = await import("../lib/consent/grant-consent.ts");
  const { revokeConsent } = await import("../lib/consent/revoke-consent.ts");
  const { checkInWithToken } = await import("../tests/presence.ts");
  const { sealTemplate } = await import("../lib/templates/template-codec.ts");
  const v = await import("../workers/vision/index.ts");

  const frames = (await composeFrames(facesDir, 3)).filter((f) => f.name.startsWith("720p"));
  const done = new Map<string, { at: number; matched: number }>();
  const events = new QueueEvents("frames", { connection: createRedis("worker"), prefix: bullPrefix() });
  events.on("completed", ({ jobId, returnvalue }) => {
    const r = (typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue) as { matched?: number };
    done.set(jobId.replace("frame.analyze-", ""), { at: Date.now(), matched: r?.matched ?? 0 });
  });
  await events.waitUntilReady();
  const pgids = stack.workers.map((w) => w.pid!).filter(Boolean);

  async function phase(cameras: number, fps: number, seconds: number) {
    const cams = [];
    for (let i = 0; i < cameras; i++)
      cams.push(await registerCamera({ storeSlug: "demo", name: `bench ${i}`, actor: { id: null, role: "SYSTEM" } }));
    const sent = new Map<string, number>();
    const status = new Map<number, number>();
    const c0 = cpuTimes();
    const t0 = Date.now();
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pgids))), 2000);
    await Promise.all(
      cams.map(async (cam, ci) => {
        for (let i = 0; Date.now() - t0 < seconds * 1000; i++) {
          const at = Date.now();
          const r = await postFrame({
            url: stack.appUrl,
            cameraId: cam.cameraId,
            secret: cam.secret,
            body: frames[(ci + i) % frames.length]!.jpeg,
          });
          status.set(r.status, (status.get(r.status) ?? 0) + 1);
          if (r.status === 202) sent.set((JSON.parse(r.body) as { frameId: string }).frameId, at);
          const wait = 1000 / fps - (Date.now() - at);
          if (wait > 0) await new Promise((res) => setTimeout(res, wait));
        }
      }),
    );
    const sendEnd = Date.now();
    while ([...sent.keys()].some((id) => !done.has(id)) && Date.now() - sendEnd < 60_000)
      await new Promise((r) => setTimeout(r, 200));
    clearInterval(sampler);
    const c1 = cpuTimes();
    const lat = [...sent].filter(([id]) => done.has(id)).map(([id, at]) => (done.get(id)!.at - at) / 1000);
    const elapsed = (Math.max(...[...sent.keys()].map((id) => done.get(id)?.at ?? sendEnd)) - t0) / 1000;
    return {
      cameras,
      fps,
      seconds,
      offeredFps: cameras * fps,
      acceptedFps: sent.size / seconds,
      processedFps: lat.length / elapsed,
      statuses: Object.fromEntries(status),
      drops: (status.get(429) ?? 0) + (status.get(503) ?? 0),
      unprocessed: sent.size - lat.length,
      p50: pct(lat, 0.5),
      p95: pct(lat, 0.95),
      p99: pct(lat, 0.99),
      maxRawFrameLifeSeconds: Math.max(...lat),
      cpuBusy: 1 - (c1.idle - c0.idle) / (c1.total - c0.total),
      peakRssMb: peakRss,
    };
  }

  const results: Record<string, unknown> = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    workers: Number(values.workers),
    phases: [] as unknown[],
  };
  const ramp = values.ramp ? values.ramp.split(",").map(Number) : [Number(values.cameras)];
  for (const n of ramp) {
    const r = await phase(n, values.ramp ? 1 : Number(values.fps), Number(values.seconds));
    (results.phases as unknown[]).push(r);
    console.log(
      `${n} cameras x ${r.fps} fps: accepted ${r.acceptedFps.toFixed(1)}/s, processed ${r.processedFps.toFixed(1)}/s, p50 ${r.p50.toFixed(2)} s, p95 ${r.p95.toFixed(2)} s, p99 ${r.p99.toFixed(2)} s, drops ${r.drops}, unprocessed ${r.unprocessed}, CPU ${(r.cpuBusy * 100).toFixed(0)}%, workers RSS ${r.peakRssMb} MB`,
    );
  }
  const ok = (
    results.phases as { cameras: number; p99: number; drops: number; unprocessed: number; fps: number }[]
  ).filter((p) => p.p99 < 1 && p.drops === 0 && p.unprocessed === 0 && p.fps === 1);
  results.maxOneFpsCamerasWithP99Under1s = ok.length ? Math.max(...ok.map((p) => p.cameras)) : null;

  // Revocation to effect: a checked-in, enrolled shopper in front of a camera at 10 fps; after the
  // revocation commits, how long until frames stop matching.
  const shopper = await db().user.create({ data: { email: `bench-${Date.now()}@bench.invalid` } });
  const probePath = path.join(facesDir, "verification/faceapi_leonard");
  const [enrolFile, probeFile] = (await import("node:fs")).readdirSync(probePath).sort();
  const enrolImg = await v.decodeImage(readFileSync(path.join(probePath, enrolFile!)));
  const box = (await v.detectFaces(enrolImg))[0]!;
  await db().faceTemplate.create({
    data: {
      userId: shopper.id,
      status: "ENROLLED",
      ...sealTemplate(shopper.id, await v.embedAligned(enrolImg, await v.facePoints(enrolImg, box))),
      modelVersion: v.MODEL_VERSION,
    },
  });
  await grantConsent({ userId: shopper.id, storeSlug: "demo", purpose: "recognition", noticeVersion: 1 });
  await checkInWithToken({ userId: shopper.id, storeSlug: "demo" });
  const cam = await registerCamera({ storeSlug: "demo", name: "revocation", actor: { id: null, role: "SYSTEM" } });
  const probe = await (
    await import("sharp")
  )
    .default(readFileSync(path.join(probePath, probeFile!)))
    .jpeg()
    .toBuffer();
  const sends: { id: string; at: number }[] = [];
  let revokedAt = 0;
  for (let i = 0; i < 40; i++) {
    if (i === 20) {
      await revokeConsent({ userId: shopper.id, storeSlug: "demo", purpose: "recognition", noticeVersion: 1 });
      revokedAt = Date.now();
    }
    const r = await postFrame({
      url: stack.appUrl,
      cameraId: cam.cameraId,
      secret: cam.secret,
      body: probe,
      timestamp: Math.floor(Date.now() / 1000) + i,
    });
    if (r.status === 202) sends.push({ id: (JSON.parse(r.body) as { frameId: string }).frameId, at: Date.now() });
    await new Promise((res) => setTimeout(res, 100));
  }
  await new Promise((r) => setTimeout(r, 5000));
  const matchedBefore = sends.filter((s) => s.at < revokedAt && done.get(s.id)?.matched);
  const lastMatch = Math.max(0, ...sends.filter((s) => done.get(s.id)?.matched).map((s) => done.get(s.id)!.at));
  results.revocation = {
    matchedBeforeRevocation: matchedBefore.length,
    matchedAfterRevocation: sends.filter((s) => s.at >= revokedAt && done.get(s.id)?.matched).length,
    lastMatchAfterRevocationMs: Math.max(0, lastMatch - revokedAt),
  };
  console.log(
    `revocation: ${matchedBefore.length} frames matched before; frames sent after it matched: ${(results.revocation as { matchedAfterRevocation: number }).matchedAfterRevocation}; last match finished ${(results.revocation as { lastMatchAfterRevocationMs: number }).lastMatchAfterRevocationMs} ms after the revocation committed`,
  );
  if (results.maxOneFpsCamerasWithP99Under1s !== undefined && values.ramp)
    console.log(`largest number of 1-fps cameras with p99 < 1 s: ${results.maxOneFpsCamerasWithP99Under1s}`);

  await events.close();
  await closeRedis();
  await disconnectDb();
  await stack.stop();
  const file = values.json ?? path.join(root, "bench-results", values.ramp ? "load.json" : "pipeline.json");
  writeResults(file, results);
}

runBench(main);
