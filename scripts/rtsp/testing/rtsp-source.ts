// A store camera for tests: an RTSP server on 127.0.0.1 (rtsp-streaming-server, pure JavaScript, in
// a child process of its own so it can be killed like a camera losing power) and Debian's ffmpeg
// publishing to it an H.264 stream made from a folder of photos. Clients pull from the client port.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../../lib/free-port.ts";

const SERVER = `
const m = await import("rtsp-streaming-server");
const RtspServer = m.default.default ?? m.default;
const [serverPort, clientPort, rtpPortStart] = process.argv.slice(1).map(Number);
// A camera with a login (from the environment, so that no argv holds it) refuses any other.
const login = process.env.RTSP_SOURCE_LOGIN;
const clientServerHooks = login
  ? { authentication: async (u, p) => \`\${u}:\${p}\` === login }
  : undefined;
const s = new RtspServer({ serverPort, clientPort, rtpPortStart, rtpPortCount: 200, clientServerHooks });
await s.start();
console.log("rtsp server up");
`;

/** Encodes the photos (letterboxed to 1280x720) into a looping H.264 clip at `fps`. */
export function encodeClip(photosDir: string, fps = 4): { file: string; frames: number; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), "veil-rtsp-"));
  const file = path.join(dir, "clip.mp4");
  const frames = readdirSync(photosDir).filter((n) => /\.jpe?g$/i.test(n)).length;
  const r = spawnSync(
    "/usr/bin/ffmpeg",
    [
      "-hide_banner",
      "-loglevel",
      "error",
      "-y",
      "-framerate",
      String(fps),
      "-pattern_type",
      "glob",
      "-i",
      path.join(photosDir, "*.jpg"),
      "-vf",
      "scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,format=yuv420p",
      "-c:v",
      "libx264",
      "-preset",
      "veryfast",
      "-g",
      String(fps),
      "-r",
      String(fps),
      file,
    ],
    { encoding: "utf8" },
  );
  if (r.status !== 0) throw new Error(`ffmpeg could not encode the clip: ${r.stderr}`);
  return { file, frames, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export type RtspSource = { url: string; start: () => Promise<void>; kill: () => Promise<void> };

/** `login` ("user:password"): the stream is served only to a client that gives it. */
export async function rtspSource(clip: string, mount = "cam", login?: string): Promise<RtspSource> {
  const [serverPort, clientPort] = [await freePort(), await freePort()];
  const rtpStart = 20_000 + 2 * Math.floor(Math.random() * 10_000);
  let server: ChildProcess | null = null;
  let publisher: ChildProcess | null = null;
  const exited = (c: ChildProcess | null) =>
    c && c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once("exit", r)) : Promise.resolve();

  async function start() {
    server = spawn(
      process.execPath,
      ["--input-type=module", "-e", SERVER, String(serverPort), String(clientPort), String(rtpStart)],
      {
        stdio: ["ignore", "pipe", "inherit"],
        cwd: path.resolve(import.meta.dirname, "../../.."),
        env: { ...process.env, RTSP_SOURCE_LOGIN: login ?? "" },
      },
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("RTSP server did not start")), 20_000);
      server!.stdout!.on(
        "data",
        (d: Buffer) => d.toString().includes("rtsp server up") && (clearTimeout(timer), resolve()),
      );
      server!.once("exit", (code) => (clearTimeout(timer), reject(new Error(`RTSP server exited ${code}`))));
    });
    publisher = spawn(
      "/usr/bin/ffmpeg",
      [
        "-hide_banner",
        "-loglevel",
        "error",
        "-nostdin",
        "-re",
        "-stream_loop",
        "-1",
        "-i",
        clip,
        "-c",
        "copy",
        "-f",
        "rtsp",
        `rtsp://127.0.0.1:${serverPort}/${mount}`,
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
  }

  async function kill() {
    for (const c of [publisher, server]) c?.kill("SIGKILL");
    await Promise.all([exited(publisher), exited(server)]);
    publisher = server = null;
  }

  return { url: `rtsp://127.0.0.1:${clientPort}/${mount}`, start, kill };
}
