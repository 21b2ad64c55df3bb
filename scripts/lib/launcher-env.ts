import { z } from "zod";
import { parseSettings } from "../../lib/config/parse-settings.ts";

// Settings read only by `npm start` and the embedded servers it runs (not by the app or workers,
// whose settings are lib/env.ts). Parsed once here so README's table can be generated from it.
export const launcherEnvSchema = z.object({
  PORT: z.coerce.number().int().positive().default(3000).describe("port of `npm start`"),
  VEIL_PG_PORT: z.coerce.number().int().positive().default(54329).describe("port of the embedded PostgreSQL"),
  VEIL_REDIS_PORT: z.coerce.number().int().positive().default(63799).describe("port of the embedded Redis"),
  PG_BIN: z.string().default("/usr/lib/postgresql/15/bin").describe("where the embedded PostgreSQL's binaries are"),
  DEMO_CAMERA_DIR: z
    .string()
    .optional()
    .describe("photos the demo camera of `npm start` posts (default `$FACES_DIR/detection`)"),
  DEMO_CAMERA_FPS: z.coerce.number().positive().default(1).describe("frames per second of the demo camera"),
  DEMO_STAFF_PASSWORD: z
    .string()
    .min(1)
    .optional()
    .describe("password of the demo staff accounts (generated when unset)"),
});

export type LauncherEnv = z.infer<typeof launcherEnvSchema>;

export function launcherEnv(source: NodeJS.ProcessEnv = process.env): LauncherEnv {
  return parseSettings(launcherEnvSchema, source, "environment");
}
