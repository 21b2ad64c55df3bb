import type { z } from "zod";

/**
 * Parses settings with their schema, or throws one error that names every missing or malformed
 * variable (so start-up stops with a message the operator can act on). The one parser of
 * lib/env.ts, lib/vision/config.ts and the launcher's settings.
 */
export function parseSettings<S extends z.ZodType>(schema: S, source: Record<string, string | undefined>, what: string): z.infer<S> {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  throw new Error(`Invalid ${what}:\n${lines.join("\n")}\nSee README.md "Configuration".`);
}
