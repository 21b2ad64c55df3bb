// npm run bench:vision [-- --faces <dir> --frames <n per size> --pool-frames <n> --peer-confidence <c> --no-peer --json <file>]
// Speed of the vision pipeline on 720p and 1080p frames composed from the dataset: ms per stage
// (decode, detect, align+embed, redact) and frames per second on 1 core, with the peer
// @vladmandic/face-api (minConfidence 0.3, its best-recall setting) run on the same frames in the
// same process, frame by frame in turn with Veil, its detect time as a ratio of Veil's and its
// recall beside ours; frames per second on 2 cores from one pool of two worker processes draining
// one queue of --pool-frames frames (default 200) per size; peak memory; gallery match time at
// 100,000 templates. Prints a table and writes bench-results/vision.json.
import { spawn, type ChildProcess } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  decodeImage,
  detectFaces,
  facePoints,
  embedAligned,
  qualityGate,
  redactFaces,
  Gallery,
  visionConfig,
} from "../workers/vision/index.ts";
import { l2normalize } from "../workers/vision/embed.ts";
import { matchDetections } from "../workers/vision/match-detections.ts";
import { composeFrames, type BenchFrame } from "./bench/frames.ts";
import { createPeer } from "./bench/peer-face-api.ts";
import { runBench, writeResults } from "./lib/bench-output.ts";

const { values } = parseArgs({
  options: {
    faces: { type: "string" },
    frames: { type: "string", default: "8" },
    "pool-frames": { type: "string", default: "200" },
    "peer-confidence": { type: "string" },
    json: { type: "string" },
    "pool-worker": { type: "boolean" },
    "no-peer": { type: "boolean" },
  },
});
const facesDir = path.resolve(
  values.faces ?? process.env.FACES_DIR ?? path.join(import.meta.dirname, "../../shared/faces"),
);
if (!existsSync(path.join(facesDir, "detection/boxes.json"))) {
  console.error(`faces folder not found: ${facesDir} (pass --faces <dir> or set FACES_DIR)`);
  process.exit(2);
}
const perSize = Number(values.frames);
const poolFrames = Math.max(1, Number(values["pool-frames"]) || 200);
// Distinct composed frames per size: 6 photos per frame, so the dataset's 296 photos with faces
// give 49 frames before a photo repeats; the pool's queue cycles through them.
const DISTINCT = 48;

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
sampler.unref();

type Box = { x: number; y: number; w: number; h: number };
/** Recall of faces >= 20 px at IoU 0.3, detections matched in score order (as in the eval). */
function recall(frames: BenchFrame[], found: (Box & { score?: number })[][]): number {
  let hit = 0,
    n = 0;
  frames.forEach((f, i) => {
    const truth = f.truth.filter((t) => Math.min(t.w, t.h) >= 20);
    n += truth.length;
    hit += matchDetections(
      found[i]!.map((d) => ({ ...d, score: d.score ?? 0 })),
      truth,
      0.3,
    ).tp;
  });
  return n ? hit / n : 0;
}

/** Full pipeline on each frame, timing each stage. */
async function runOurs(frames: BenchFrame[], full = true) {
  const t = { decode: 0, detect: 0, embed: 0, redact: 0, faces: 0, embedded: 0 };
  const found: Box[][] = [];
  for (const f of frames) {
    let t0 = performance.now();
    const img = await decodeImage(f.jpeg);
    t.decode += performance.now() - t0;
    t0 = performance.now();
    const faces = await detectFaces(img);
    t.detect += performance.now() - t0;
    found.push(faces);
    t.faces += faces.length;
    if (!full) continue;
    t0 = performance.now();
    for (const face of faces) {
      if (Math.min(face.w, face.h) < visionConfig().QUALITY_MIN_FACE_PX) continue;
      if (!(await qualityGate(img, face)).ok) continue;
      await embedAligned(img, await facePoints(img, face));
      t.embedded++;
    }
    t.embed += performance.now() - t0;
    t0 = performance.now();
    await redactFaces(img, faces);
    t.redact += performance.now() - t0;
  }
  return { t, found };
}

type PoolJob = { type: "job"; size: string; i: number; full: boolean };
if (values["pool-worker"]) {
  // A pool worker (one core: VISION_THREADS=1): receives the composed frames once, warms up, then
  // processes one frame per job message and answers when it is done.
  let frames: Record<string, Buffer[]> = {};
  process.on("message", (m: { type: "frames"; frames: Record<string, Uint8Array[]> } | PoolJob | { type: "exit" }) => {
    void (async () => {
      if (m.type === "frames") {
        frames = Object.fromEntries(Object.entries(m.frames).map(([k, v]) => [k, v.map((u) => Buffer.from(u))]));
        for (const list of Object.values(frames)) await runOurs([{ jpeg: list[0]! } as BenchFrame]);
        process.send!({ type: "ready" });
      } else if (m.type === "job") {
        const list = frames[m.size]!;
        await runOurs([{ jpeg: list[m.i % list.length]! } as BenchFrame], m.full);
        process.send!({ type: "done" });
      } else process.exit(0);
    })();
  });
}

/**
 * A pool of `workers` processes, one core each, draining one queue of `total` frames (the frame
 * jobs' model: each worker takes the next frame when it is free). Frames per second = total over
 * the wall time from the first job sent to the last answered; start-up and warm-up are outside it.
 */
async function createPool(frames: Record<string, Buffer[]>, workers: number) {
  const kids: ChildProcess[] = [];
  for (let w = 0; w < workers; w++)
    kids.push(
      spawn(process.execPath, [...process.execArgv, process.argv[1]!, "--pool-worker", "--faces", facesDir], {
        env: { ...process.env, VISION_THREADS: "1" },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        serialization: "advanced",
      }),
    );
  const next = (k: ChildProcess) =>
    new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`bench pool worker exited ${code}`));
      k.once("exit", onExit);
      k.once("message", () => {
        k.off("exit", onExit);
        resolve();
      });
    });
  await Promise.all(
    kids.map((k) => {
      const ready = next(k);
      k.send({ type: "frames", frames });
      return ready;
    }),
  );
  return {
    async run(size: string, total: number, full: boolean) {
      let sent = 0;
      const perWorker = kids.map(() => 0);
      const t0 = performance.now();
      await Promise.all(
        kids.map(async (k, w) => {
          while (sent < total) {
            const job: PoolJob = { type: "job", size, i: sent++, full };
            const done = next(k);
            k.send(job);
            await done;
            perWorker[w]!++;
          }
        }),
      );
      const ms = performance.now() - t0;
      return { frames: total, ms, fps: total / (ms / 1000), perWorker };
    },
    close() {
      for (const k of kids) k.send({ type: "exit" });
    },
  };
}

async function main() {
  const all = await composeFrames(facesDir, Math.max(DISTINCT, perSize));
  await runOurs(all.slice(0, 1)); // warm-up: sessions created, JIT warm
  const peer = values["no-peer"]
    ? undefined
    : await createPeer(values["peer-confidence"] ? Number(values["peer-confidence"]) : undefined);
  const results: Record<string, unknown> = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadavg: loadavg() },
    config: visionConfig(),
    peer: peer ? { name: peer.name, minConfidence: peer.minConfidence } : undefined,
    sizes: {},
  };
  const bySize = (size: string) => all.filter((f) => f.name.startsWith(size));
  const table: string[] = [];
  const sizes = ["720p", "1080p"];
  for (const size of sizes) {
    const fs = bySize(size).slice(0, perSize);
    const n = fs.length;
    // One run, frame by frame: Veil's pipeline and the peer's detector on the same frame, taking
    // turns at going first, so both see the same machine load.
    const t = { decode: 0, detect: 0, embed: 0, redact: 0, faces: 0, embedded: 0 };
    const found: Box[][] = [];
    const peerFound: Box[][] = [];
    let peerMs = 0;
    if (peer) await peer.detect(await decodeImage(fs[0]!.jpeg)); // warm-up
    for (const [i, f] of fs.entries()) {
      const timePeer = async () => {
        if (!peer) return;
        const img = await decodeImage(f.jpeg);
        const p0 = performance.now();
        peerFound.push(await peer.detect(img));
        peerMs += performance.now() - p0;
      };
      if (i % 2 === 1) await timePeer();
      const r = await runOurs([f]);
      for (const k of Object.keys(t) as (keyof typeof t)[]) t[k] += r.t[k];
      found.push(...r.found);
      if (i % 2 === 0) await timePeer();
    }
    const total = (t.decode + t.detect + t.embed + t.redact) / n;
    const entry: Record<string, unknown> = {
      frames: n,
      msDecode: t.decode / n,
      msDetect: t.detect / n,
      msAlignEmbed: t.embed / n,
      msRedact: t.redact / n,
      msTotal: total,
      facesPerFrame: t.faces / n,
      embeddedPerFrame: t.embedded / n,
      fps1: 1000 / total,
      // The common case in a store: nobody checked in, no frames kept -> decode + detect + count.
      fpsCount1: 1000 / ((t.decode + t.detect) / n),
      recallGe20: recall(fs, found),
    };
    if (peer)
      entry.peer = {
        msDetect: peerMs / n,
        recallGe20: recall(fs, peerFound),
        // The peer's detect time over Veil's on the same frames (> 1: the peer is slower).
        detectRatio: peerMs / t.detect,
      };
    (results.sizes as Record<string, unknown>)[size] = entry;
  }
  // 2 cores: one pool of two worker processes draining one queue of poolFrames frames per size and
  // mode (the composed frames, cycled).
  const pool = await createPool(Object.fromEntries(sizes.map((s) => [s, bySize(s).map((f) => f.jpeg)])), 2);
  try {
    for (const size of sizes) {
      const e = (results.sizes as Record<string, Record<string, unknown>>)[size]!;
      const full = await pool.run(size, poolFrames, true);
      const count = await pool.run(size, poolFrames, false);
      e.fps2 = full.fps;
      e.fpsCount2 = count.fps;
      e.pool2 = {
        workers: 2,
        frames: poolFrames,
        distinctFrames: bySize(size).length,
        everything: full,
        countingOnly: count,
      };
    }
  } finally {
    pool.close();
  }
  for (const size of sizes) {
    const e = (results.sizes as Record<string, Record<string, number>>)[size]! as Record<string, number> & {
      peer?: { msDetect: number; recallGe20: number; detectRatio: number };
    };
    table.push(
      `| ${size} | ${e.msDecode.toFixed(1)} | ${e.msDetect.toFixed(1)} | ${e.msAlignEmbed.toFixed(1)} (${e.embeddedPerFrame.toFixed(1)} faces) | ${e.msRedact.toFixed(1)} | ${e.fpsCount1.toFixed(1)} / ${e.fpsCount2.toFixed(1)} | ${e.fps1.toFixed(1)} / ${e.fps2.toFixed(1)} | ${(e.recallGe20 * 100).toFixed(1)}% | ${e.peer ? `${e.peer.msDetect.toFixed(0)} ms (${e.peer.detectRatio.toFixed(1)}x), ${(e.peer.recallGe20 * 100).toFixed(1)}%` : "-"} |`,
    );
  }

  // Gallery scan at 100,000 random templates.
  const g = new Gallery();
  for (let i = 0; i < 100_000; i++)
    g.add(`u${i}`, l2normalize(Float32Array.from({ length: 512 }, () => Math.random() - 0.5)));
  const q = l2normalize(Float32Array.from({ length: 512 }, () => Math.random() - 0.5));
  g.match(q);
  const m0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < 50; i++) g.match(q);
  results.galleryMatchMs100k = (performance.now() - m0) / 50;
  const c1 = process.cpuUsage(c0);
  // CPU time of this thread's matches: on a shared, loaded machine wall time also counts waiting.
  results.galleryMatchCpuMs100k = (c1.user + c1.system) / 1000 / 50;
  results.peakRssMb = Math.round(Math.max(peakRss, process.memoryUsage().rss) / 1048576);

  console.log(
    `\nvision benchmark: ${perSize} frames per size in one process (peer interleaved frame by frame${peer ? `, minConfidence ${peer.minConfidence}` : ": skipped"}), 2 cores = one pool of 2 processes over ${poolFrames} frames per size; ${cpus().length} x ${cpus()[0]?.model}, Node ${process.version}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  console.log(
    `tiles ${visionConfig().VISION_TILE_GRID} overlap ${visionConfig().VISION_TILE_OVERLAP}, score >= ${visionConfig().VISION_SCORE_THRESHOLD} whole frame / ${visionConfig().VISION_TILE_SCORE_THRESHOLD} tiles, tile check ${visionConfig().VISION_TILE_CHECK_PX} px\n`,
  );
  console.log(
    "| frame | decode ms | detect ms | align+embed ms | redact ms | fps counting only, 1 / 2 cores | fps everything, 1 / 2 cores | recall >=20 px (IoU 0.3) | peer detect ms (x Veil's), recall |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const row of table) console.log(row);
  console.log(
    `\ngallery match, 100,000 templates: ${(results.galleryMatchMs100k as number).toFixed(1)} ms per face (${(results.galleryMatchCpuMs100k as number).toFixed(1)} ms CPU); peak RSS ${results.peakRssMb} MB`,
  );
  const file = values.json ?? path.join(import.meta.dirname, "../bench-results/vision.json");
  writeResults(file, results);
}

if (!values["pool-worker"]) runBench(main);
