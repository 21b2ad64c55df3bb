import { key, type RedisClient } from "../redis.ts";

// What the workers actually finish: each frame job that ends adds one to the counter of its second;
// ingest reads the last DRAIN_WINDOW_SECONDS of them. The drain rate times the time a new frame may
// wait says how many queued frames the workers clear before that frame expires (back-pressure that
// follows real capacity, not a fixed queue size).
export const DRAIN_WINDOW_SECONDS = 10;

const drainKey = (second: number) => key("drain", String(second));

/** Called by a worker once per finished frame job, whatever its outcome. */
export async function recordDrained(client: RedisClient, now = Date.now()): Promise<void> {
  const k = drainKey(Math.floor(now / 1000));
  await client
    .multi()
    .incr(k)
    .expire(k, DRAIN_WINDOW_SECONDS * 2)
    .exec();
}

/** Frames per second the workers finished over the last window (the current second included). */
export async function drainRate(client: RedisClient, now = Date.now()): Promise<number> {
  const second = Math.floor(now / 1000);
  const keys = Array.from({ length: DRAIN_WINDOW_SECONDS }, (_, i) => drainKey(second - i));
  const counts = await client.mget(...keys);
  const total = counts.reduce((a, c) => a + (c ? Number(c) : 0), 0);
  // The current second is partial: the window is WINDOW-1 whole seconds plus the part elapsed.
  const span = DRAIN_WINDOW_SECONDS - 1 + (now % 1000) / 1000;
  return total / span;
}

export type Admission = { ok: true } | { ok: false; retryAfter: number; reason: string };

/**
 * Whether a frame queued behind `depth` others will be analysed before `budgetMs` passes, from the
 * measured drain rate and the age of the oldest waiting frame. With no measurement yet (workers just
 * started, or idle), a few frames per worker slot are let in, so one that never comes back cannot
 * strand more than those.
 */
export function admit(opts: {
  depth: number;
  rate: number;
  oldestAgeMs: number | null;
  budgetMs: number;
  coldStartDepth: number;
}): Admission {
  const { depth, rate, oldestAgeMs, budgetMs } = opts;
  if (depth === 0) return { ok: true };
  if (oldestAgeMs !== null && oldestAgeMs > budgetMs)
    return { ok: false, retryAfter: 2, reason: "the oldest waiting frame is about to expire" };
  if (rate <= 0) {
    return depth < opts.coldStartDepth
      ? { ok: true }
      : { ok: false, retryAfter: 2, reason: "no frame finished lately" };
  }
  const waitMs = ((depth + 1) / rate) * 1000;
  if (waitMs <= budgetMs) return { ok: true };
  return {
    ok: false,
    retryAfter: Math.min(30, Math.max(1, Math.ceil((waitMs - budgetMs) / 1000))),
    reason: "workers cannot analyse it before it expires",
  };
}
