// npm run bench:counting [-- --faces <dir> --json <file> --standing 60]
// People counting measured on the real path: synthetic walking sequences built from the faces
// folder (scripts/bench/synthetic-walks.ts: crossings at four speeds both ways, a group, two
// people passing, one stopping on the counting line, a re-entry, the enrolled shopper standing a
// minute) are signed and posted over HTTP to an isolated copy of the stack, analysed by the
// production frame worker (ONNX detection, motion gate, anonymous tracks, recognition once per
// track, visit sessions), and what the database then holds is compared with the ground truth.
// Prints and writes {"entries":{"truth","counted","error"},"idSwitches","visits":{"truth","recorded"},
// "embeddingsPerMinuteStanding","motionSkipShare","framesPerSecond"} (plus a "details" object).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { execSync } from "node:child_process";
import { startIsolatedStack } from "./lib/isolated-stack.ts";
import { postFrame } from "./camera-sim.ts";
import { runBench, writeResults } from "./lib/bench-output.ts";
import {
  BENCH_LINE,
  FRAME,
  background,
  buildPlan,
  noiseLayers,
  loadSprites,
  renderFrame,
  spriteFromPhoto,
  truthAt,
} from "./bench/synthetic-walks.ts";
import { countIdSwitches } from "./bench/id-switches.ts";

const root = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    faces: { type: "string" },
    json: { type: "string" },
    standing: { type: "string", default: "60" },
    shopper: { type: "string", default: "deepface_id02" },
  },
});
const facesDir = path.resolve(values.faces ?? process.env.FACES_DIR ?? path.join(root, "../shared/faces"));
if (!existsSync(path.join(facesDir, "detection/boxes.json")) || !existsSync(path.join(facesDir, "verification"))) {
  console.error(`faces folder not found: ${facesDir} (pass --faces or set FACES_DIR)`);
  process.exit(2);
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

async function main() {
  if (!existsSync(path.join(root, ".next/BUILD_ID"))) execSync("npx next build", { stdio: "inherit", cwd: root });
  // The walks run on a synthetic clock (capture times of a 10 fps camera) that may fall behind the
  // wall clock while the worker catches up: the copy allows that skew. Nothing else is changed.
  process.env.CLOCK_SKEW_SECONDS = "3600";
  // and the bench posts faster than one camera may, to measure what the worker path sustains
  process.env.CAMERA_MAX_FPS = "1000";
  const stack = await startIsolatedStack({ workers: 0, root });
  Object.assign(process.env, stack.env);
  const { registerCamera } = await import("../lib/cameras/register-camera.ts");
  const { db, disconnectDb } = await import("../lib/db.ts");
  const { closeRedis } = await import("../lib/redis.ts");
  const { grantConsent } = await import("../lib/consent/grant-consent.ts");
  const { checkInWithToken } = await import("../tests/presence.ts");
  const { sealTemplate } = await import("../lib/templates/template-codec.ts");
  const { createVision } = await import("../workers/frames/onnx-vision.ts");
  const { startWorkers } = await import("../workers/main.ts");
  const { queue } = await import("../lib/jobs/queues.ts");
  const v = await import("../workers/vision/index.ts");

  // Sprites the detector finds exactly once when pasted alone: a sprite cut from a group photo
  // that carries a neighbour's half face would add a person who is not in the ground truth.
  const real = await createVision();
  const bg = await background(facesDir);
  const sprites: Buffer[] = [];
  for (const s of await loadSprites(facesDir)) {
    const probe = buildPlan({ sprites: 1, shopperSprite: -1 });
    const t = (probe.people[0]!.path[0]!.t + probe.people[0]!.path[1]!.t) / 2;
    const { jpeg } = await renderFrame({ ...probe, people: [probe.people[0]!] }, t, bg, [s.png]);
    if ((await real.detect(await real.decode(jpeg))).length === 1) sprites.push(s.png);
    if (sprites.length >= 16) break;
  }
  // The shopper: enrolled from one photo of an identity, walking in with another.
  const idDir = path.join(facesDir, "verification", values.shopper!);
  const [enrolFile, walkFile] = (await import("node:fs")).readdirSync(idDir).sort();
  const enrolImg = await v.decodeImage(readFileSync(path.join(idDir, enrolFile!)));
  const enrolBox = (await v.detectFaces(enrolImg))[0]!;
  const walkImg = await v.decodeImage(readFileSync(path.join(idDir, walkFile!)));
  const walkBox = (await v.detectFaces(walkImg)).sort((a, b) => b.w * b.h - a.w * a.h)[0]!;
  const shopperSprite = sprites.length;
  sprites.push(await spriteFromPhoto(path.join(idDir, walkFile!), walkBox));

  const shopper = await db().user.create({ data: { email: `bench-counting-${Date.now()}@bench.invalid` } });
  await db().faceTemplate.create({
    data: {
      userId: shopper.id,
      status: "ENROLLED",
      ...sealTemplate(shopper.id, await v.embedAligned(enrolImg, await v.facePoints(enrolImg, enrolBox))),
      modelVersion: v.MODEL_VERSION,
    },
  });
  for (const purpose of ["recognition", "demographics"] as const)
    await grantConsent({ userId: shopper.id, storeSlug: "demo", purpose, noticeVersion: 1 });
  await checkInWithToken({ userId: shopper.id, storeSlug: "demo" });
  const cam = await registerCamera({ storeSlug: "demo", name: "counting bench", actor: { id: null, role: "SYSTEM" } });
  await db().camera.update({ where: { id: cam.cameraId }, data: { countingLine: BENCH_LINE } });

  const plan = buildPlan({ sprites: sprites.length - 1, shopperSprite, standingMs: Number(values.standing) * 1000 });
  const frameTimes: number[] = [];
  for (let t = 0; t <= plan.durationMs; t += 1000 / plan.fps) frameTimes.push(Math.round(t));

  // The production vision port, observed: which frame each detection and embedding belonged to.
  // Identical frames (an empty scene between two noise layers' cycles) queue up under one hash;
  // their detections are the same whichever of them a decode is credited to.
  const frameOf = new Map<string, number[]>();
  const imgFrame = new WeakMap<object, number>();
  const detections = new Map<number, { box: { x: number; y: number; w: number; h: number }; score: number }[]>();
  const embeddingsAt: number[] = [];
  const vision: typeof real = {
    ...real,
    modelVersion: real.modelVersion,
    decode: async (jpeg) => {
      const img = await real.decode(jpeg);
      const i = frameOf.get(sha(jpeg))?.shift();
      if (i !== undefined) imgFrame.set(img as object, i);
      return img;
    },
    detect: async (img) => {
      const faces = await real.detect(img);
      const i = imgFrame.get(img as object);
      if (i !== undefined) detections.set(i, faces);
      return faces;
    },
    embed: async (img, face) => {
      embeddingsAt.push(frameTimes[imgFrame.get(img as object) ?? -1] ?? -1);
      return real.embed(img, face);
    },
  };
  // Frames are rendered first, then posted as fast as ingest accepts them (honouring 429/503
  // Retry-After by sending the same frame again), so frames/s is what the worker path sustains.
  // Capture times are those of a 10 fps camera, whatever the posting speed: tracking runs on them.
  const noise = noiseLayers();
  const jpegs: Buffer[] = [];
  for (const [i, t] of frameTimes.entries()) {
    const { jpeg } = await renderFrame(plan, t, bg, sprites, noise[i % noise.length]);
    const queued = frameOf.get(sha(jpeg)) ?? [];
    frameOf.set(sha(jpeg), [...queued, i]);
    jpegs.push(jpeg);
    if (i % 100 === 0) process.stdout.write(`\rrendered ${i + 1}/${frameTimes.length} frames`);
  }
  process.stdout.write("\n");
  const stopWorkers = await startWorkers({ queues: ["frames"], vision });
  const base = Date.now();
  const statuses: Record<number, number> = {};
  const t0 = Date.now();
  for (const [i, jpeg] of jpegs.entries()) {
    for (;;) {
      const r = await postFrame({
        url: stack.appUrl,
        cameraId: cam.cameraId,
        secret: cam.secret,
        body: jpeg,
        timestamp: base + frameTimes[i]!,
      });
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.status === 202) break;
      if (r.status !== 429 && r.status !== 503) throw new Error(`ingest answered ${r.status}: ${r.body}`);
      await new Promise((res) => setTimeout(res, Math.max(200, r.retryAfter * 1000)));
    }
    if (i % 100 === 0) process.stdout.write(`\rposted ${i + 1}/${frameTimes.length} frames`);
  }
  const q = queue("frames");
  for (;;) {
    const counts = await q.getJobCounts("wait", "active", "delayed", "prioritized");
    if (Object.values(counts).every((n) => n === 0)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const seconds = (Date.now() - t0) / 1000;
  process.stdout.write("\n");

  const sum = await db().footfallBucket.aggregate({
    where: { cameraId: cam.cameraId },
    _sum: { entries: true, lineIn: true, lineOut: true, frames: true, motionSkipped: true, notAnalysed: true },
  });
  const visits = await db().visit.count({ where: { userId: shopper.id } });
  const standing = plan.people.find((p) => p.shopper)!;
  const standStart = standing.path[0]!.t,
    standEnd = standing.path[standing.path.length - 1]!.t;
  const standingEmbeddings = embeddingsAt.filter((t) => t >= standStart && t <= standEnd).length;
  const counted = sum._sum.entries ?? 0;
  const truth = plan.truth.entries;

  const results = {
    entries: { truth, counted, error: Math.abs(counted - truth) / truth },
    idSwitches: countIdSwitches(
      frameTimes.map((t, i) => ({ t, truth: truthAt(plan, t), detections: detections.get(i) ?? null })),
      { frame: FRAME, line: BENCH_LINE },
    ),
    visits: { truth: plan.truth.visits, recorded: visits },
    embeddingsPerMinuteStanding: standingEmbeddings / ((standEnd - standStart) / 60_000),
    motionSkipShare: 1 - detections.size / frameTimes.length,
    framesPerSecond: frameTimes.length / seconds,
    details: {
      frames: frameTimes.length,
      statuses,
      analysedFrames: sum._sum.frames ?? 0,
      notAnalysed: sum._sum.notAnalysed ?? 0,
      motionSkippedCounted: sum._sum.motionSkipped ?? 0,
      lineIn: { truth: plan.truth.lineIn, counted: sum._sum.lineIn ?? 0 },
      lineOut: { truth: plan.truth.lineOut, counted: sum._sum.lineOut ?? 0 },
      embeddingsTotal: embeddingsAt.length,
      detectionsPerSecond: [...detections.values()].reduce((a, d) => a + d.length, 0) / seconds,
      embeddingsPerSecond: embeddingsAt.length / seconds,
      sprites: sprites.length,
      facesDir,
    },
  };
  console.log(
    `entries ${counted} of ${truth} (error ${(results.entries.error * 100).toFixed(1)}%), ID switches ${results.idSwitches}, ` +
      `visits ${visits} of ${plan.truth.visits}, embeddings/min standing ${results.embeddingsPerMinuteStanding.toFixed(1)}, ` +
      `motion-skipped ${(results.motionSkipShare * 100).toFixed(1)}%, ${results.framesPerSecond.toFixed(1)} frames/s; ` +
      `line in ${results.details.lineIn.counted}/${plan.truth.lineIn}, out ${results.details.lineOut.counted}/${plan.truth.lineOut}`,
  );
  await stopWorkers();
  await closeRedis();
  await disconnectDb();
  await stack.stop();
  writeResults(values.json ?? path.join(root, "bench-results", "counting.json"), results);
}

runBench(main);
