// One store camera's RTSP stream to Veil's ingest: Debian's ffmpeg (a child process; it speaks
// RTSP and decodes H.264/H.265, nothing here does) pulls the stream and writes JPEG frames at the
// chosen rate to stdout; each frame is signed and posted like any camera's. Under back-pressure
// (429/503 with Retry-After) frames are dropped until the time given, never queued: a live camera
// cannot catch up, and old frames are worth nothing. When the stream ends or stalls, ffmpeg is
// started again with exponential backoff (1 s doubling to 30 s, reset by the next frame).
import { spawn, type ChildProcess } from "node:child_process";
import { JpegSplitter } from "./jpeg-splitter.ts";
import { ffmpegInput, redactCredentials } from "./rtsp-url.ts";
import { postFrame } from "../camera-sim.ts";

export type BridgeOptions = {
  cameraId: string;
  /** The stream's URL with its login, if any: handed to ffmpeg on stdin, never on argv. */
  rtspUrl: URL;
  secret: string;
  appUrl: string;
  fps: number;
  /** "tcp" or "udp"; ffmpeg's default (UDP, then TCP) when unset. */
  transport?: "tcp" | "udp";
  /** No frame for this long means the stream is dead: ffmpeg is stopped and started again. */
  stallMs?: number;
  /** How long a connection may take to its first frame (RTSP setup, the first key frame). */
  connectMs?: number;
  maxBackoffMs?: number;
  ffmpegPath?: string;
  /** Largest JPEG held while it is being read (a broken stream must not grow memory). */
  maxFrameBytes?: number;
  /** Stop after this many accepted frames (the CLI's --count). Checked where a frame is accepted,
   *  so the bridge never posts one more while a poller would notice. */
  maxAccepted?: number;
};

export type BridgeStats = {
  cameraId: string;
  framesFromStream: number;
  sent: number;
  accepted: number;
  refused: Record<string, number>;
  droppedBusy: number;
  droppedBackoff: number;
  networkErrors: number;
  connects: number;
  reconnects: number;
  /** Time from a stream's end to the first frame of the next connection, per reconnection. */
  reconnectMs: number[];
};

export type BridgeEvent =
  | { type: "connecting"; attempt: number }
  | { type: "stream-up"; downMs: number | null }
  | { type: "stream-down"; reason: string; retryInMs: number }
  | { type: "refused"; status: number; body: string; retryAfterS: number }
  | { type: "fatal"; message: string };

const FATAL = new Set([401, 403]);

export function startBridge(o: BridgeOptions, onEvent: (e: BridgeEvent) => void = () => {}) {
  const stats: BridgeStats = {
    cameraId: o.cameraId,
    framesFromStream: 0,
    sent: 0,
    accepted: 0,
    refused: {},
    droppedBusy: 0,
    droppedBackoff: 0,
    networkErrors: 0,
    connects: 0,
    reconnects: 0,
    reconnectMs: [],
  };
  const stallMs = o.stallMs ?? 10_000;
  const connectMs = Math.max(o.connectMs ?? 20_000, stallMs);
  const maxBackoff = o.maxBackoffMs ?? 30_000;
  const maxFrame = o.maxFrameBytes ?? 8 * 1024 * 1024;
  let child: ChildProcess | null = null;
  let stopped = false;
  let backoff = 1000;
  let inFlight = false;
  let backoffUntil = 0;
  let downSince: number | null = null;
  let lastTs = 0;
  let stallTimer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));

  const input = ffmpegInput(o.rtspUrl, o.transport);
  const args = () => [
    "-hide_banner",
    "-loglevel",
    "error",
    "-nostdin",
    ...input.args,
    "-an",
    "-vf",
    `fps=${o.fps}`,
    "-f",
    "image2pipe",
    "-c:v",
    "mjpeg",
    "-pix_fmt",
    "yuvj420p",
    "-q:v",
    "4",
    "pipe:1",
  ];

  let stalledFor = 0;
  const armStall = (ms: number) => {
    clearTimeout(stallTimer);
    stalledFor = ms;
    stallTimer = setTimeout(() => child?.kill("SIGKILL"), ms);
  };

  async function send(jpeg: Buffer) {
    // Frames still in ffmpeg's pipe after stop() must not be posted.
    if (stopped) return;
    const now = Date.now();
    if (now < backoffUntil) return void stats.droppedBackoff++;
    if (inFlight) return void stats.droppedBusy++;
    inFlight = true;
    // Capture time in milliseconds, never going backwards: tracking people across frames needs
    // each frame's own time, not the second it fell in.
    lastTs = Math.max(now, lastTs + 1);
    try {
      const r = await postFrame({
        url: o.appUrl,
        cameraId: o.cameraId,
        secret: o.secret,
        body: jpeg,
        timestamp: lastTs,
      });
      stats.sent++;
      if (r.status === 202) {
        stats.accepted++;
        if (stats.accepted >= (o.maxAccepted ?? Infinity)) stop();
      } else {
        stats.refused[r.status] = (stats.refused[r.status] ?? 0) + 1;
        if (r.retryAfter) backoffUntil = Date.now() + r.retryAfter * 1000;
        onEvent({ type: "refused", status: r.status, body: r.body.slice(0, 200), retryAfterS: r.retryAfter });
        if (FATAL.has(r.status)) {
          onEvent({
            type: "fatal",
            message: `camera ${o.cameraId}: ${r.status} ${r.body.slice(0, 200)} (check the camera id, its secret, and that it is enabled)`,
          });
          stop();
        }
      }
    } catch {
      stats.networkErrors++;
      backoffUntil = Date.now() + 2000;
    } finally {
      inFlight = false;
    }
  }

  function connect() {
    if (stopped) return;
    stats.connects++;
    onEvent({ type: "connecting", attempt: stats.connects });
    const splitter = new JpegSplitter();
    let gotFrame = false;
    let stderr = "";
    const c = spawn(o.ffmpegPath ?? "/usr/bin/ffmpeg", args(), { stdio: ["pipe", "pipe", "pipe"] });
    child = c;
    c.stdin!.on("error", () => {}); // ffmpeg gone before reading it: "close" below reports why
    c.stdin!.end(input.script);
    armStall(connectMs);
    c.stdout!.on("data", (chunk: Buffer) => {
      for (const jpeg of splitter.push(chunk)) {
        armStall(stallMs);
        stats.framesFromStream++;
        if (!gotFrame) {
          gotFrame = true;
          backoff = 1000;
          const downMs = downSince === null ? null : Date.now() - downSince;
          if (downMs !== null) stats.reconnectMs.push(downMs);
          downSince = null;
          onEvent({ type: "stream-up", downMs });
        }
        void send(jpeg);
      }
      if (splitter.pending > maxFrame) c.kill("SIGKILL");
    });
    c.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    c.on("error", (e) => (stderr += e.message));
    c.on("close", (code, signal) => {
      clearTimeout(stallTimer);
      child = null;
      if (stopped) return resolveDone();
      if (gotFrame) stats.reconnects++;
      downSince ??= Date.now();
      const reason =
        signal === "SIGKILL"
          ? `no frame for ${stalledFor / 1000} s`
          : redactCredentials(stderr.trim().split("\n").at(-1) ?? "") || `ffmpeg exited ${code}`;
      const wait = backoff;
      backoff = Math.min(maxBackoff, backoff * 2);
      onEvent({ type: "stream-down", reason, retryInMs: wait });
      retryTimer = setTimeout(connect, wait);
    });
  }

  function stop() {
    if (stopped) return;
    stopped = true;
    clearTimeout(retryTimer);
    clearTimeout(stallTimer);
    if (child) child.kill("SIGTERM");
    else resolveDone();
  }

  connect();
  return { stats, stop, done };
}
