// npm run bench:pipeline -- --static [--cameras 2 --fps 2 --seconds 30 --workers 2]
// The motion gate's saving, side by side in one run: one isolated stack, the same mostly static
// cameras (bench/static-scene.ts) played twice, first to workers started with MOTION_GATE=on, then
// to fresh workers with MOTION_GATE=off. Worker CPU is read from /proc for the worker processes
// alone (the app, databases and the simulated cameras share the machine, so whole-machine CPU
// would blur the difference). Writes bench-results/pipeline-motion.json.
import { execSync, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { startIsolatedStack } from "../lib/isolated-stack.ts";
import { writeResults } from "../lib/bench-output.ts";
import { postFrame } from "../camera-sim.ts";
import { staticScene } from "./static-scene.ts";

type Opts = { root: string; facesDir: string; cameras: number; fps: number; seconds: number; workers: number };
const VISIT_EVERY_SECONDS = 10;
const VISIT_SECONDS = 2;
const TICKS = Number(execSync("getconf CLK_TCK", { encoding: "utf8" }).trim()) || 100;

/** CPU seconds used so far by every live process of the given process groups (npx, tsx, node). */
export function groupCpuSeconds(pgids: number[]): number {
  const want = new Set(pgids);
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // Fields after "(comm)": state ppid pgrp ... utime(14) stime(15) cutime(16) cstime(17); cutime
    // holds helpers that exited and were reaped, which then no longer appear on their own.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (!want.has(Number(f[2]))) continue;
    ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return ticks / TICKS;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runStatic(o: Opts, jsonFile?: string): Promise<void> {
  const stack = await startIsolatedStack({ workers: 0, root: o.root });
  Object.assign(process.env, stack.env);
  const { registerCamera } = await import("../../lib/cameras/register-camera.ts");
  const { QueueEvents } = await import("bullmq");
  const { createRedis, closeRedis } = await import("../../lib/redis.ts");
  const { bullPrefix, queue, closeQueues } = await import("../../lib/jobs/queues.ts");
  const { db, disconnectDb } = await import("../../lib/db.ts");

  const scene = await staticScene(o.facesDir, {
    fps: o.fps,
    visitEverySeconds: VISIT_EVERY_SECONDS,
    visitSeconds: VISIT_SECONDS,
  });
  const done = new Map<string, { at: number; status: string; faces: number }>();
  const events = new QueueEvents("frames", { connection: createRedis("worker"), prefix: bullPrefix() });
  events.on("completed", ({ jobId, returnvalue }) => {
    const r = (typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue) as {
      status?: string;
      faces?: number;
    };
    done.set(jobId.replace("frame.analyze-", ""), { at: Date.now(), status: r?.status ?? "?", faces: r?.faces ?? 0 });
  });
  await events.waitUntilReady();
  const frames = queue("frames");

  async function phase(gate: "on" | "off") {
    const workers: ChildProcess[] = [];
    for (let i = 0; i < o.workers; i++) workers.push(stack.addWorker({ MOTION_GATE: gate }));
    // Ready = connected to the queue (models loaded); then a pause so start-up CPU is not counted.
    for (let i = 0; (await frames.getWorkersCount()) < o.workers; i++) {
      if (i > 240) throw new Error("workers did not start");
      await sleep(500);
    }
    await sleep(3000);
    const pgids = workers.map((w) => w.pid!);
    const cams = [];
    for (let i = 0; i < o.cameras; i++)
      cams.push(
        await registerCamera({ storeSlug: "demo", name: `static ${gate} ${i}`, actor: { id: null, role: "SYSTEM" } }),
      );
    const sent = new Set<string>();
    const refused: number[] = [];
    const cpu0 = groupCpuSeconds(pgids);
    const t0 = Date.now();
    await Promise.all(
      cams.map(async (cam, ci) => {
        // Cameras half a period apart, so their visitors do not arrive together.
        const offset = Math.floor((ci * scene.frames.length) / Math.max(2, o.cameras));
        for (let i = 0; Date.now() - t0 < o.seconds * 1000; i++) {
          const at = Date.now();
          const body = scene.frames[(i + offset) % scene.frames.length]!;
          const r = await postFrame({ url: stack.appUrl, cameraId: cam.cameraId, secret: cam.secret, body });
          if (r.status === 202) sent.add((JSON.parse(r.body) as { frameId: string }).frameId);
          else refused.push(r.status);
          const wait = 1000 / o.fps - (Date.now() - at);
          if (wait > 0) await sleep(wait);
        }
      }),
    );
    const sendEnd = Date.now();
    while ([...sent].some((id) => !done.has(id)) && Date.now() - sendEnd < 60_000) await sleep(100);
    const cpu = groupCpuSeconds(pgids) - cpu0;
    const finished = [...sent].map((id) => done.get(id)).filter((d) => d !== undefined);
    const elapsed = (Math.max(sendEnd, ...finished.map((d) => d.at)) - t0) / 1000;
    const skipped = finished.filter((d) => d.status === "motion-skipped").length;
    const counted = await db().footfallBucket.aggregate({
      where: { cameraId: { in: cams.map((c) => c.cameraId) } },
      _sum: { frames: true, motionSkipped: true, entries: true, faces: true },
    });
    for (const w of workers) await stack.stopWorker(w);
    for (let i = 0; (await frames.getWorkersCount()) > 0 && i < 60; i++) await sleep(500);
    return {
      gate,
      offeredFps: o.cameras * o.fps,
      processedFps: finished.length / elapsed,
      framesAccepted: sent.size,
      framesRefused: refused.length,
      framesUnfinished: sent.size - finished.length,
      workerCpuSeconds: cpu,
      workerCpuSecondsPerCameraPerMinute: cpu / o.cameras / (elapsed / 60),
      workerCpuMsPerFrame: finished.length ? (cpu * 1000) / finished.length : NaN,
      skippedShare: finished.length ? skipped / finished.length : NaN,
      detectorRuns: finished.filter((d) => d.status === "analyzed").length,
      facesDetected: finished.reduce((a, d) => a + d.faces, 0),
      counted: counted._sum,
    };
  }

  const load = loadavg();
  const on = await phase("on");
  const off = await phase("off");
  const results = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    loadAverageAtStart: load.map((l) => Number(l.toFixed(2))),
    loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))),
    cameras: o.cameras,
    fps: o.fps,
    seconds: o.seconds,
    workers: o.workers,
    scene: {
      frame: "720p, bench/frames.ts composition, its own ±3 levels of noise per channel in each frame of the cycle",
      visitor: `one person walking across for ${VISIT_SECONDS} s every ${VISIT_EVERY_SECONDS} s`,
      visitorFrameShare: scene.visitor.filter(Boolean).length / scene.visitor.length,
    },
    gateOn: on,
    gateOff: off,
    cpuSaved: 1 - on.workerCpuSeconds / off.workerCpuSeconds,
  };
  const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : "-");
  const row = (k: string, a: string, b: string) => console.log(`${k.padEnd(38)}${a.padStart(12)}${b.padStart(12)}`);
  row(`${o.cameras} cameras x ${o.fps} fps, ${o.seconds} s`, "gate on", "gate off");
  row("frames/s processed", f(on.processedFps, 2), f(off.processedFps, 2));
  row(
    "worker CPU s per camera per minute",
    f(on.workerCpuSecondsPerCameraPerMinute),
    f(off.workerCpuSecondsPerCameraPerMinute),
  );
  row("worker CPU ms per frame", f(on.workerCpuMsPerFrame, 0), f(off.workerCpuMsPerFrame, 0));
  row("frames skipped by the gate", `${f(on.skippedShare * 100)}%`, `${f(off.skippedShare * 100)}%`);
  row("detector runs", String(on.detectorRuns), String(off.detectorRuns));
  row("faces detected", String(on.facesDetected), String(off.facesDetected));
  row("people counted (entries)", String(on.counted.entries ?? 0), String(off.counted.entries ?? 0));
  row(
    "frames refused / unfinished",
    `${on.framesRefused} / ${on.framesUnfinished}`,
    `${off.framesRefused} / ${off.framesUnfinished}`,
  );
  console.log(`worker CPU saved by the gate: ${f(results.cpuSaved * 100)}%`);

  await events.close();
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  await stack.stop();
  writeResults(jsonFile ?? path.join(o.root, "bench-results", "pipeline-motion.json"), results);
}
