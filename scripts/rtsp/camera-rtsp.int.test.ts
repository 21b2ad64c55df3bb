// The RTSP bridge end to end: a local RTSP server streams H.264 made from the face photos, the
// bridge (`npm run camera:rtsp`, ffmpeg inside) pulls it, signs JPEG frames and posts them to the
// real ingest route handler, the frame worker analyses them, and the camera's footfall counters
// count exactly the frames the bridge saw accepted. Back-pressure (503 + Retry-After) pauses the
// bridge; a stream that dies (server and publisher killed) is reconnected once it is back.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db.ts";
import { makeStore } from "../../tests/fixtures.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { startWorkers } from "../../workers/main.ts";
import { POST } from "../../app/api/ingest/frames/route.ts";
import { encodeClip, rtspSource, type RtspSource } from "./testing/rtsp-source.ts";
import type { BridgeStats } from "./bridge.ts";

const root = path.resolve(import.meta.dirname, "../..");
const faces = path.resolve(process.env.FACES_DIR ?? path.join(root, "../shared/faces"));
if (!existsSync(faces)) throw new Error(`face photos not found at ${faces}: set FACES_DIR`);

const tmp = mkdtempSync(path.join(tmpdir(), "veil-bridge-"));
let clip: ReturnType<typeof encodeClip>;
let source: RtspSource;
let http: Server;
let appUrl: string;
let stopWorkers: () => Promise<void>;
/** When set, the ingest answers 503 with this Retry-After (seconds) instead of accepting. */
let refuseWith: number | null = null;
const requests: { at: number; status: number }[] = [];

beforeAll(async () => {
  clip = encodeClip(path.join(faces, "detection"));
  source = await rtspSource(clip.file);
  await source.start();
  // The app's own route handler behind a plain Node server: the same code `next start` serves.
  http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let status: number;
    if (refuseWith !== null) {
      status = 503;
      res
        .writeHead(503, { "retry-after": String(refuseWith), "content-type": "application/json" })
        .end('{"error":"queue_full"}');
    } else {
      const r = await POST(
        new Request(`http://127.0.0.1${req.url}`, {
          method: "POST",
          headers: req.headers as Record<string, string>,
          body: Buffer.concat(chunks),
        }),
      );
      status = r.status;
      res.writeHead(r.status, Object.fromEntries(r.headers)).end(Buffer.from(await r.arrayBuffer()));
    }
    requests.push({ at: Date.now(), status });
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  appUrl = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  stopWorkers = await startWorkers({ queues: ["frames"] });
}, 120_000);

afterAll(async () => {
  await source?.kill();
  clip?.remove();
  http?.close();
  await stopWorkers?.();
  rmSync(tmp, { recursive: true, force: true });
});

async function camera() {
  const store = await makeStore({ recognitionEnabled: false });
  return registerCamera({ storeSlug: store.slug, name: "RTSP entrance", actor: { id: null, role: "SYSTEM" } });
}

function bridge(cam: { cameraId: string; secret: string }, extra: string[], json: string) {
  return bridgeWith(
    ["--camera", cam.cameraId, "--url", source.url, "--fps", "2", "--app", appUrl, "--json", json, ...extra],
    { CAMERA_SECRET: cam.secret },
  );
}

function bridgeWith(args: string[], env: Record<string, string> = {}) {
  // tsx itself (not npx, which does not pass SIGTERM on), as `npm run camera:rtsp` runs it.
  const c = spawn(
    path.join(root, "node_modules/.bin/tsx"),
    ["scripts/camera-rtsp.ts", "--report-seconds", "5", ...args],
    {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const out = { text: "" };
  c.stdout!.on("data", (d: Buffer) => (out.text += d.toString()));
  c.stderr!.on("data", (d: Buffer) => (out.text += d.toString()));
  return { child: c, out };
}

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  deadlineMs: number,
  log: () => string = () => "",
) {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not happen within ${deadlineMs / 1000} s\n${log().slice(-3000)}`);
}

const exited = (c: ChildProcess) =>
  c.exitCode !== null ? Promise.resolve(c.exitCode) : new Promise<number | null>((r) => c.once("exit", r));

async function countedFrames(cameraId: string): Promise<number> {
  const r = await db().footfallBucket.aggregate({ where: { cameraId }, _sum: { frames: true } });
  return r._sum.frames ?? 0;
}

describe("RTSP camera bridge", () => {
  it("pulls the stream, posts signed JPEG frames, pauses on 503 Retry-After, and every accepted frame is counted", async () => {
    const cam = await camera();
    const json = path.join(tmp, "first.json");
    // Back-pressure first: the bridge must not post again before the Retry-After it was given.
    refuseWith = 2;
    const b = bridge(cam, ["--count", "8"], json);
    await until(
      "a refused frame",
      () => requests.some((r) => r.status === 503),
      90_000,
      () => b.out.text,
    );
    const refusedAt = requests.find((r) => r.status === 503)!.at;
    await until(
      "the bridge dropping frames under back-pressure",
      () => /frame refused: 503/.test(b.out.text),
      10_000,
      () => b.out.text,
    );
    refuseWith = null;
    expect(await exited(b.child), b.out.text).toBe(0);
    const stats = (JSON.parse(readFileSync(json, "utf8")) as { cameras: BridgeStats[] }).cameras[0]!;
    const firstAfter = requests.find((r) => r.at > refusedAt && r.status !== 503);
    expect(firstAfter!.at - refusedAt).toBeGreaterThanOrEqual(2000);
    expect(stats.refused["503"]).toBeGreaterThanOrEqual(1);
    expect(stats.droppedBackoff).toBeGreaterThan(0);
    expect(stats.accepted).toBe(8);
    // The frame worker counted every accepted frame, no more, no fewer.
    await until(
      "the worker counting every accepted frame",
      async () => (await countedFrames(cam.cameraId)) >= stats.accepted,
      60_000,
    );
    expect(await countedFrames(cam.cameraId)).toBe(stats.accepted);
    console.log(
      `[bridge] frames from stream ${stats.framesFromStream}, sent ${stats.sent}, accepted ${stats.accepted}, refused 503 x${stats.refused["503"]}, dropped under back-pressure ${stats.droppedBackoff}, counted ${await countedFrames(cam.cameraId)}`,
    );
  }, 180_000);

  it("reconnects with backoff when the stream dies, and counts the frames of the new connection", async () => {
    const cam = await camera();
    const json = path.join(tmp, "second.json");
    const b = bridge(cam, ["--stall-seconds", "3"], json);
    await until(
      "frames counted before the drop",
      async () => (await countedFrames(cam.cameraId)) >= 3,
      90_000,
      () => b.out.text,
    );
    await source.kill();
    const killedAt = Date.now();
    await until(
      "the bridge noticing the drop",
      () => /stream down/.test(b.out.text),
      30_000,
      () => b.out.text,
    );
    await source.start();
    const restartedAt = Date.now();
    await until(
      "the stream up again",
      () => /stream up after/.test(b.out.text),
      90_000,
      () => b.out.text,
    );
    const upAt = Date.now();
    const before = await countedFrames(cam.cameraId);
    await until(
      "frames of the new connection counted",
      async () => (await countedFrames(cam.cameraId)) >= before + 3,
      60_000,
      () => b.out.text,
    );
    b.child.kill("SIGTERM");
    expect(await exited(b.child), b.out.text).toBe(0);
    const stats = (JSON.parse(readFileSync(json, "utf8")) as { cameras: BridgeStats[] }).cameras[0]!;
    expect(stats.reconnects).toBeGreaterThanOrEqual(1);
    expect(stats.reconnectMs.length).toBeGreaterThanOrEqual(1);
    await until(
      "every accepted frame counted",
      async () => (await countedFrames(cam.cameraId)) >= stats.accepted,
      60_000,
    );
    expect(await countedFrames(cam.cameraId)).toBe(stats.accepted);
    console.log(
      `[bridge reconnect] accepted ${stats.accepted}, counted ${await countedFrames(cam.cameraId)}, reconnects ${stats.reconnects}, stream down ${stats.reconnectMs.map((m) => (m / 1000).toFixed(1)).join(", ")} s (source back after ${((restartedAt - killedAt) / 1000).toFixed(1)} s), stream up again ${((upAt - restartedAt) / 1000).toFixed(1)} s after the source returned (to within 0.2 s)`,
    );
  }, 240_000);

  it("runs several cameras from one config file, one behind an RTSP login that no command line or log line shows", async () => {
    const password = `pw-${Math.random().toString(36).slice(2)}:@x`;
    const guarded = await rtspSource(clip.file, "guarded", `viewer:${password}`);
    await guarded.start();
    try {
      const [open, locked] = [await camera(), await camera()];
      const json = path.join(tmp, "config.json");
      writeFileSync(path.join(tmp, "locked.secret"), locked.secret, { mode: 0o600 });
      writeFileSync(path.join(tmp, "locked.login"), `viewer:${password}\n`, { mode: 0o600 });
      writeFileSync(
        path.join(tmp, "cameras.json"),
        JSON.stringify({
          appUrl,
          cameras: [
            { camera: open.cameraId, url: source.url, fps: 2, secretEnv: "OPEN_SECRET" },
            {
              camera: locked.cameraId,
              url: guarded.url,
              fps: 2,
              secretFile: "locked.secret",
              credentialsFile: "locked.login",
            },
          ],
        }),
      );
      const b = bridgeWith(["--config", path.join(tmp, "cameras.json"), "--count", "3", "--json", json], {
        OPEN_SECRET: open.secret,
      });
      await until(
        "both streams up",
        () => (b.out.text.match(/stream up/g) ?? []).length >= 2,
        90_000,
        () => b.out.text,
      );
      // While ffmpeg pulls the guarded stream, the password is on no process's command line.
      const ps = spawnSync("ps", ["-eo", "args"], { encoding: "utf8" }).stdout;
      expect(ps).toContain("ffmpeg");
      expect(ps).not.toContain(password);
      expect(ps).not.toContain(encodeURIComponent(password));
      expect(await exited(b.child), b.out.text).toBe(0);
      const stats = (JSON.parse(readFileSync(json, "utf8")) as { cameras: BridgeStats[] }).cameras;
      expect(stats.map((s) => [s.cameraId, s.accepted])).toEqual([
        [open.cameraId, 3],
        [locked.cameraId, 3],
      ]);
      for (const cam of [open, locked])
        await until("every accepted frame counted", async () => (await countedFrames(cam.cameraId)) >= 3, 60_000);
      expect(await countedFrames(open.cameraId)).toBe(3);
      expect(await countedFrames(locked.cameraId)).toBe(3);

      // A wrong login: the camera's refusal is reported, the password given is in no line printed.
      const wrong = `wrong-${password}`;
      const w = bridgeWith(["--camera", locked.cameraId, "--url", guarded.url, "--fps", "2", "--app", appUrl], {
        CAMERA_SECRET: locked.secret,
        RTSP_CREDENTIALS: `viewer:${wrong}`,
      });
      await until(
        "the refused login reported",
        () => /stream down \(.*401/.test(w.out.text),
        60_000,
        () => w.out.text,
      );
      w.child.kill("SIGTERM");
      await exited(w.child);
      expect(w.out.text).not.toContain(wrong);
      expect(w.out.text).not.toContain(encodeURIComponent(wrong));
    } finally {
      await guarded.kill();
    }
  }, 240_000);

  it("refuses a login on the command line, where ps shows it to every user", () => {
    const r = spawnSync(
      path.join(root, "node_modules/.bin/tsx"),
      ["scripts/camera-rtsp.ts", "--camera", "c1", "--url", "rtsp://viewer:hunter2@127.0.0.1:1/cam", "--app", appUrl],
      { cwd: root, env: { ...process.env, CAMERA_SECRET: "x" }, encoding: "utf8" },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/visible to every user.*--credentials-file/);
    expect(r.stderr + r.stdout).not.toContain("hunter2");
  });
});
