import { z } from "zod";
import { visionEnvSchema } from "./vision/config.ts";

// The whole environment, validated once. A missing or malformed value stops start-up with a
// message naming it. Read through env(), never process.env, anywhere else in lib/, app/, workers/.
const int = (d: number) => z.coerce.number().int().nonnegative().default(d);

const schema = visionEnvSchema.extend({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url().default("redis://127.0.0.1:6379"),
  // Every Redis key, queue and channel of this deployment starts with it (tests use their own).
  REDIS_PREFIX: z.string().regex(/^[{]?[a-zA-Z0-9_.-]+[}]?$/).default("veil"),
  APP_URL: z.string().url().default("http://localhost:3000"),
  // How many reverse proxies in front of the app append to X-Forwarded-For. The client address is
  // the entry that many places from the right; everything left of it is the client's own claim.
  // 0: no proxy (Next.js writes the socket address when the client sent none).
  TRUSTED_PROXY_HOPS: int(0),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters"),
  // smtp://user:pass@host:port ; without it sign-in links are printed to the server log (demo only)
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default("Veil <no-reply@veil.local>"),
  // Template encryption keys "id:base64(32 bytes)" comma-separated; TEMPLATE_KEY_ID picks the one
  // used for new rows, the others stay readable so keys can rotate.
  TEMPLATE_KEYS: z.string().min(1),
  TEMPLATE_KEY_ID: z.string().min(1),
  // Key for the keyed hash of identifiers kept in erasure tombstones.
  SUBJECT_HASH_KEY: z.string().min(32),
  // Bearer token Prometheus scrapers send to /api/metrics; without it the endpoint is open.
  METRICS_TOKEN: z.string().min(1).optional(),
  DATA_DIR: z.string().default(".data"),
  FRAME_TTL_SECONDS: int(30),
  FRAME_MAX_BYTES: int(2 * 1024 * 1024),
  // Per-camera frames per second before 429, and frame-queue depth before 503 (back-pressure).
  CAMERA_MAX_FPS: int(10),
  FRAME_QUEUE_LIMIT: int(500),
  CLOCK_SKEW_SECONDS: int(60),
  CHECKIN_WINDOW_MINUTES: int(120),
  // How long a worker's claim on a job lasts without renewal; a job of a killed worker is taken
  // over after about this long.
  WORKER_LOCK_MS: int(30_000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}\nSee README.md "Configuration".`);
  }
  cached = parsed.data;
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvForTests(): void {
  cached = undefined;
}
