// Camera simulator: signs and posts JPEG frames from a folder, like a store camera would.
//   npm run camera -- --camera <id> --secret-file <file> --fps 2 --dir ../shared/faces/detection
// The secret comes from --secret-file (what `cameras add --secret-file` wrote) or CAMERA_SECRET,
// never from the command line, where `ps` shows it to every user of the machine. The URL is --url,
// else APP_URL, else that of the running `npm start`, else http://localhost:$PORT. --count N stops
// after N frames (default: loop forever). Honours 429/503 Retry-After. Prints a summary on exit.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import sharp from "sharp";
import { SIGNATURE_HEADERS, signFrame } from "../lib/ingest/frame-signature.ts";
import { applyLocalEnv } from "./lib/local-env.ts";
import { readCameraSecret } from "./lib/camera-secret.ts";

const INGEST_PATH = "/api/ingest/frames";

export async function loadFrames(dir: string): Promise<Buffer[]> {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.(jpe?g|png)$/i.test(n))
      .sort();
  } catch {
    throw new Error(`image folder not found: ${dir}`);
  }
  if (!names.length) throw new Error(`no .jpg or .png images in ${dir}`);
  // Cameras send JPEG: convert anything else once, up front.
  return Promise.all(
    names.map(async (n) => {
      const buf = readFileSync(path.join(dir, n));
      return /\.jpe?g$/i.test(n) ? buf : sharp(buf).jpeg({ quality: 90 }).toBuffer();
    }),
  );
}

export async function postFrame(opts: {
  url: string;
  cameraId: string;
  secret: string;
  body: Buffer;
  timestamp?: number;
}) {
  // milliseconds unless the caller gives a time (seconds or milliseconds, see HEADER_PATTERNS)
  const ts = String(opts.timestamp ?? Date.now());
  const res = await fetch(new URL(INGEST_PATH, opts.url), {
    method: "POST",
    headers: {
      "content-type": "image/jpeg",
      [SIGNATURE_HEADERS.camera]: opts.cameraId,
      [SIGNATURE_HEADERS.timestamp]: ts,
      [SIGNATURE_HEADERS.signature]: signFrame(opts.secret, "POST", INGEST_PATH, ts, opts.body),
    },
    body: new Uint8Array(opts.body),
  });
  const text = await res.text();
  return { status: res.status, retryAfter: Number(res.headers.get("retry-after") ?? 0), body: text };
}

async function main() {
  const { values } = parseArgs({
    options: {
      store: { type: "string" },
      camera: { type: "string" },
      "secret-file": { type: "string" },
      fps: { type: "string", default: "1" },
      dir: { type: "string" },
      url: { type: "string" },
      count: { type: "string" },
      quiet: { type: "boolean" },
    },
  });
  const cameraId = values.camera;
  if (!cameraId || !values.dir) {
    console.error(
      "usage: npm run camera -- --camera <id> --secret-file <file> --fps <n> --dir <images> [--store slug] [--url URL] [--count N]\n(or CAMERA_SECRET=… in the environment instead of --secret-file)",
    );
    process.exit(2);
  }
  const secret = readCameraSecret(values["secret-file"]);
  if (!values.url) await applyLocalEnv(["app"]);
  const url = values.url ?? process.env.APP_URL!;
  const fps = Math.max(0.1, Number(values.fps));
  const limit = values.count ? Number(values.count) : Infinity;
  const frames = await loadFrames(values.dir);
  const tally = new Map<number, number>();
  let stop = false;
  const finish = () => {
    stop = true;
  };
  process.on("SIGINT", finish);
  process.on("SIGTERM", finish);

  console.log(
    `camera ${cameraId}${values.store ? ` (store ${values.store})` : ""}: ${frames.length} images at ${fps} fps to ${url}`,
  );
  for (let i = 0; i < limit && !stop; i++) {
    const started = Date.now();
    let wait = 1000 / fps;
    try {
      const r = await postFrame({ url, cameraId, secret, body: frames[i % frames.length]! });
      tally.set(r.status, (tally.get(r.status) ?? 0) + 1);
      if (r.status !== 202 && !values.quiet) console.log(`frame ${i}: ${r.status} ${r.body}`);
      if (r.retryAfter) wait = Math.max(wait, r.retryAfter * 1000);
    } catch (e) {
      tally.set(0, (tally.get(0) ?? 0) + 1);
      if (!values.quiet) console.log(`frame ${i}: ${(e as Error).message}`);
      wait = Math.max(wait, 2000);
    }
    const sleep = wait - (Date.now() - started);
    if (sleep > 0 && i + 1 < limit) await new Promise((r) => setTimeout(r, sleep));
  }
  console.log(
    `sent ${[...tally.values()].reduce((a, b) => a + b, 0)}: ${[...tally].map(([s, n]) => `${s === 0 ? "network error" : s} x${n}`).join(", ")}`,
  );
}

if (process.argv[1]?.endsWith("camera-sim.ts")) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
