import type { z } from "zod";

/**
 * Parses settings with their schema, or throws one error that names every missing or malformed
 * variable (so start-up stops with a message the operator can act on). The one parser of
 * lib/env.ts, lib/vision/config.ts and the launcher's settings.
 */
export function parseSettings<S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined>,
  what: string,
): z.infer<S> {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  throw new Error(`Invalid ${what}:\n${lines.join("\n")}\nSee README.md "Configuration".`);
}

/**
 * Settings read once from process.env and kept; `reset()` forgets them (for tests that change the
 * environment) and `override()` patches them (for the evaluation, which tries several settings).
 */
export function settingsOnce<S extends z.ZodType<Record<string, unknown>>>(schema: S, what: string) {
  let cached: z.infer<S> | undefined;
  const get = (): z.infer<S> => (cached ??= parseSettings(schema, process.env, what));
  return {
    get,
    reset: () => void (cached = undefined),
    override: (patch: Partial<z.infer<S>>) => void (cached = { ...(get() as object), ...patch } as z.infer<S>),
  };
}
