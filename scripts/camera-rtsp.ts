// RTSP camera bridge: store cameras speak RTSP (ONVIF profile S), not signed HTTP. For each camera
// ffmpeg pulls the stream and yields JPEG frames at --fps; they are signed with the camera's secret
// and posted to /api/ingest/frames (scripts/rtsp/bridge.ts).
//   npm run camera:rtsp -- --camera <id> --url rtsp://10.0.0.5/stream1 --credentials-file <file> --fps 2 --secret-file <file>
//   npm run camera:rtsp -- --config cameras.json
// cameras.json: { "appUrl"?: "...", "cameras": [{ "camera": "<id>", "url": "rtsp://…", "fps"?: 2,
//   "credentialsFile"?: "<file>", "credentialsEnv"?: "NAME", "secretFile"?: "<file>",
//   "secretEnv"?: "NAME", "transport"?: "tcp" | "udp" }] }
// A camera's Veil secret and its RTSP login ("user:password") come from a file or the environment
// (CAMERA_SECRET / RTSP_CREDENTIALS, or the variables a config entry names), never from argv, which
// `ps` shows to every user: a --url holding a login is refused. ffmpeg gets the URL on its stdin.
// The app URL is --app, else APP_URL, else the running `npm start`'s.
// Prints a line per stream event and a summary of frames sent/accepted/refused every
// --report-seconds and on exit; --json <file> writes the summary; --count N stops after N frames
// accepted per camera.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { applyLocalEnv } from "./lib/local-env.ts";
import { readCameraSecret } from "./lib/camera-secret.ts";
import { startBridge, type BridgeStats } from "./rtsp/bridge.ts";
import { hasCredentials, parseRtspUrl, readCredentials, redactCredentials, withCredentials } from "./rtsp/rtsp-url.ts";

const configSchema = z.object({
  appUrl: z.string().url().optional(),
  cameras: z
    .array(
      z.object({
        camera: z.string().min(1),
        url: z.string().regex(/^rtsps?:\/\//, "must be an rtsp:// or rtsps:// URL"),
        fps: z.number().positive().max(30).default(2),
        credentialsFile: z.string().optional(),
        credentialsEnv: z.string().optional(),
        secretFile: z.string().optional(),
        secretEnv: z.string().optional(),
        transport: z.enum(["tcp", "udp"]).optional(),
      }),
    )
    .min(1),
});

const { values } = parseArgs({
  options: {
    camera: { type: "string" },
    url: { type: "string" },
    fps: { type: "string", default: "2" },
    "secret-file": { type: "string" },
    "credentials-file": { type: "string" },
    config: { type: "string" },
    app: { type: "string" },
    transport: { type: "string" },
    count: { type: "string" },
    json: { type: "string" },
    "report-seconds": { type: "string", default: "30" },
    "stall-seconds": { type: "string", default: "10" },
  },
});

const usage =
  "usage: npm run camera:rtsp -- --camera <id> --url rtsp://… [--credentials-file <file>] [--fps 2] [--secret-file <file>] | --config cameras.json  [--app URL] [--count N] [--json file]";

/** The stream's URL with its login: from the URL itself only where it came from a file (the config). */
function streamUrl(raw: string, from: { file?: string; env?: string }, onArgv: boolean): URL {
  const url = parseRtspUrl(raw);
  if (hasCredentials(url) && onArgv)
    fail(
      `--url ${redactCredentials(raw)}: a login on the command line is visible to every user of this machine (ps). Put "user:password" in a file (chmod 600) and pass --credentials-file <file>, or set RTSP_CREDENTIALS.`,
    );
  const credentials = readCredentials(from);
  if (credentials && hasCredentials(url))
    fail(`${redactCredentials(raw)}: the login is given twice (in the URL and in ${from.file ?? from.env})`);
  return withCredentials(url, credentials);
}

function cameraList() {
  if (values.config) {
    const parsed = configSchema.safeParse(JSON.parse(readFileSync(values.config, "utf8")));
    if (!parsed.success)
      throw new Error(
        `${values.config}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    const base = path.dirname(path.resolve(values.config));
    return {
      appUrl: parsed.data.appUrl,
      cameras: parsed.data.cameras.map((c) => ({
        ...c,
        url: streamUrl(
          c.url,
          { file: c.credentialsFile && path.resolve(base, c.credentialsFile), env: c.credentialsEnv },
          false,
        ),
        secret: c.secretEnv
          ? (process.env[c.secretEnv] ?? fail(`${c.camera}: ${c.secretEnv} is not set`))
          : readCameraSecret(c.secretFile && path.resolve(base, c.secretFile)),
      })),
    };
  }
  if (!values.camera || !values.url) fail(usage);
  const cam = configSchema.shape.cameras.element.parse({
    camera: values.camera,
    url: values.url,
    fps: Number(values.fps),
    transport: values.transport,
  });
  const url = streamUrl(
    cam.url,
    values["credentials-file"]
      ? { file: values["credentials-file"] }
      : { env: process.env.RTSP_CREDENTIALS ? "RTSP_CREDENTIALS" : undefined },
    true,
  );
  return { appUrl: undefined, cameras: [{ ...cam, url, secret: readCameraSecret(values["secret-file"]) }] };
}

function fail(msg: string): never {
  console.error(msg);
  process.exit(2);
}

const line = (s: BridgeStats) =>
  `camera ${s.cameraId}: frames from stream ${s.framesFromStream}, sent ${s.sent}, accepted ${s.accepted}, refused ${
    Object.entries(s.refused)
      .map(([k, v]) => `${k} x${v}`)
      .join(" ") || 0
  }, dropped under back-pressure ${s.droppedBackoff}, dropped while posting ${s.droppedBusy}, network errors ${s.networkErrors}, reconnects ${s.reconnects}${s.reconnectMs.length ? ` (${s.reconnectMs.map((m) => (m / 1000).toFixed(1)).join(", ")} s down)` : ""}`;

async function main() {
  const list = cameraList();
  if (!values.app && !list.appUrl) await applyLocalEnv(["app"]);
  const appUrl = values.app ?? list.appUrl ?? process.env.APP_URL!;
  const count = values.count ? Number(values.count) : Infinity;
  let exitCode = 0;
  const bridges = list.cameras.map((c) =>
    startBridge(
      {
        cameraId: c.camera,
        rtspUrl: c.url,
        secret: c.secret,
        appUrl,
        fps: c.fps,
        transport: c.transport,
        maxAccepted: count,
        stallMs: Number(values["stall-seconds"]) * 1000,
      },
      (e) => {
        const at = `camera ${c.camera}:`;
        if (e.type === "connecting") console.log(`${at} connecting to the stream (attempt ${e.attempt})`);
        else if (e.type === "stream-up")
          console.log(
            `${at} stream up${e.downMs !== null ? ` after ${(e.downMs / 1000).toFixed(1)} s down` : ""}, posting to ${appUrl}`,
          );
        else if (e.type === "stream-down")
          console.log(`${at} stream down (${e.reason}); reconnecting in ${e.retryInMs / 1000} s`);
        else if (e.type === "refused")
          console.log(
            `${at} frame refused: ${e.status} ${e.body}${e.retryAfterS ? ` (retry after ${e.retryAfterS} s)` : ""}`,
          );
        else if (e.type === "fatal") {
          console.error(e.message);
          exitCode = 1;
        }
      },
    ),
  );
  const stopAll = () => bridges.forEach((b) => b.stop());
  process.on("SIGINT", stopAll);
  process.on("SIGTERM", stopAll);
  const report = setInterval(
    () => bridges.forEach((b) => console.log(line(b.stats))),
    Number(values["report-seconds"]) * 1000,
  );
  await Promise.all(bridges.map((b) => b.done));
  clearInterval(report);
  for (const b of bridges) console.log(line(b.stats));
  if (values.json)
    writeFileSync(values.json, JSON.stringify({ appUrl, cameras: bridges.map((b) => b.stats) }, null, 2));
  process.exit(exitCode);
}

main().catch((e) => fail(e instanceof Error ? e.message : String(e)));
