// Applies one camera's frames to its anonymous tracker in ingest order (invariant 11), across any
// number of worker processes. Each worker detects in parallel and publishes its frame's result
// (boxes and scores, null for a frame the motion gate skipped, or a missing marker) under a
// short-lived key; whoever holds the camera's lock applies every contiguous ready result to the
// tracker state (JSON in Redis, seconds), and the worker waits until its own frame is applied to
// learn its detections' track ids. The commit is a compare-and-set on the cursor, so even a holder
// whose lock expired mid-apply cannot apply a frame twice.
import { randomUUID } from "node:crypto";
import type { RedisClient } from "../../lib/redis.ts";
import { env } from "../../lib/env.ts";
import { trackKeys, MISSING, TRACK_TTL_SECONDS } from "../../lib/tracking/track-keys.ts";
import { planSequence, type ReadyResult } from "../../lib/tracking/sequence-plan.ts";
import {
  emptyTrackerState,
  step,
  type Detection,
  type TrackEvent,
  type TrackerState,
} from "../../lib/tracking/tracker.ts";
import type { Box } from "../../lib/tracking/box.ts";
import type { CountingLine } from "../../lib/tracking/counting-line.ts";

/** What a worker publishes for its frame. */
export type FrameResult =
  { t: number; frame: { width: number; height: number }; detections: Detection[] | null } | typeof MISSING;

type Stored =
  | { at: number; missing: true }
  | { at: number; t: number; w: number; h: number; d: [number, number, number, number, number][] | null };

/** What applying a frame gave: per detection its track id, and the tracker's view after it. */
export type AppliedFrame = {
  assignments: (number | null)[];
  events: TrackEvent[];
  occupancy: number;
  unmatchedBoxes: Box[];
};

const LOCK_MS = 3000;

export async function publishResult(r: RedisClient, cameraId: string, seq: number, result: FrameResult): Promise<void> {
  const at = Date.now();
  const stored: Stored =
    result === MISSING
      ? { at, missing: true }
      : {
          at,
          t: result.t,
          w: result.frame.width,
          h: result.frame.height,
          d: result.detections?.map((x) => [x.box.x, x.box.y, x.box.w, x.box.h, x.score]) ?? null,
        };
  await r
    .multi()
    .set(trackKeys.result(cameraId, seq), JSON.stringify(stored), "EX", TRACK_TTL_SECONDS)
    .zadd(trackKeys.ready(cameraId), seq, String(seq))
    .expire(trackKeys.ready(cameraId), TRACK_TTL_SECONDS)
    .exec();
}

export async function readApplied(r: RedisClient, cameraId: string, seq: number): Promise<AppliedFrame | null> {
  const v = await r.get(trackKeys.applied(cameraId, seq));
  return v ? (JSON.parse(v) as AppliedFrame) : null;
}

// KEYS: cursor, state, ready, active cameras, then n applied keys, then the result keys to delete.
// ARGV: expected cursor, new cursor, state JSON, ttl, camera id, now ('' when no confirmed track is
// left: the camera leaves the active set), n, n applied values, then the ready members to remove.
const COMMIT = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if cur ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
if ARGV[6] == '' then redis.call('ZREM', KEYS[4], ARGV[5]) else redis.call('ZADD', KEYS[4], ARGV[6], ARGV[5]) end
local n = tonumber(ARGV[7])
for i = 1, n do redis.call('SET', KEYS[4 + i], ARGV[7 + i], 'EX', ARGV[4]) end
for i = 5 + n, #KEYS do redis.call('DEL', KEYS[i]) end
for i = 8 + n, #ARGV do redis.call('ZREM', KEYS[3], ARGV[i]) end
return 1`;

// KEYS: cursor, seq counter. ARGV: the cursor seen, where to rewind it. Rewinds only if the counter
// is below the cursor (it was reset) and nobody moved the cursor meanwhile.
const REWIND = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
local counter = tonumber(redis.call('GET', KEYS[2]) or '0')
if cur ~= tonumber(ARGV[1]) or counter >= cur then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1`;

const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Runs `fn` holding the camera's tracker lock; null (fn not run) when another process holds it. */
export async function withCameraLock<T>(r: RedisClient, cameraId: string, fn: () => Promise<T>): Promise<T | null> {
  const token = randomUUID();
  if ((await r.set(trackKeys.lock(cameraId), token, "PX", LOCK_MS, "NX")) !== "OK") return null;
  try {
    return await fn();
  } finally {
    await r.eval(UNLOCK, 1, trackKeys.lock(cameraId), token).catch(() => {});
  }
}

/**
 * Applies every ready result of the camera that is its turn (lib/tracking/sequence-plan.ts), if
 * this process gets the camera's lock. Returns false when another holds it.
 */
export async function applyReady(
  r: RedisClient,
  cameraId: string,
  line: CountingLine | null,
  now = Date.now(),
): Promise<boolean> {
  const done = await withCameraLock(r, cameraId, async () => {
    const [cursorRaw, stateRaw] = await r.mget(trackKeys.cursor(cameraId), trackKeys.state(cameraId));
    const cursor = Number(cursorRaw ?? 0);
    const members = await r.zrange(trackKeys.ready(cameraId), 0, -1);
    const seqs = members.map(Number).filter((s) => Number.isInteger(s) && s > 0);
    const values = seqs.length ? await r.mget(...seqs.map((s) => trackKeys.result(cameraId, s))) : [];
    const results = new Map<number, Stored>();
    const ready: ReadyResult[] = [];
    const gone: number[] = [];
    seqs.forEach((s, i) => {
      const v = values[i];
      if (!v) return void gone.push(s); // expired: forget it (its worker will republish or is gone)
      const stored = JSON.parse(v) as Stored;
      results.set(s, stored);
      ready.push({ seq: s, publishedAt: stored.at });
    });
    const plan = planSequence(cursor, ready, now, env().TRACK_REORDER_MS);
    if (plan.cursor === cursor && !plan.stale.length && !gone.length) return true;

    let state: TrackerState = stateRaw ? (JSON.parse(stateRaw) as TrackerState) : emptyTrackerState();
    const applied: [number, AppliedFrame][] = [];
    for (const s of plan.take) {
      const res = results.get(s)!;
      // Never analysed (expired, corrupt, camera disabled): the tracker neither sees nor misses it.
      if ("missing" in res) continue;
      const out = step(state, {
        t: res.t,
        frame: { width: res.w, height: res.h },
        detections: res.d?.map(([x, y, w, h, score]) => ({ box: { x, y, w, h }, score })) ?? null,
        line,
      });
      state = out.state;
      applied.push([
        s,
        {
          assignments: out.assignments,
          events: out.events,
          occupancy: out.occupancy,
          unmatchedBoxes: out.unmatchedBoxes,
        },
      ]);
    }
    const finished = [...plan.take, ...plan.stale, ...gone];
    const keys = [
      trackKeys.cursor(cameraId),
      trackKeys.state(cameraId),
      trackKeys.ready(cameraId),
      trackKeys.active(),
      ...applied.map(([s]) => trackKeys.applied(cameraId, s)),
      ...finished.map((s) => trackKeys.result(cameraId, s)),
    ];
    // A camera with someone in view is listed as active, so that its tracks can be ended if it
    // goes quiet (close-quiet-tracks.ts) before their state expires.
    const inView = state.tracks.some((tr) => tr.confirmed);
    const args = [
      String(cursor),
      String(plan.cursor),
      JSON.stringify(state),
      String(TRACK_TTL_SECONDS),
      cameraId,
      inView ? String(now) : "",
      String(applied.length),
      ...applied.map(([, a]) => JSON.stringify(a)),
      ...finished.map(String),
    ];
    await r.eval(COMMIT, keys.length, ...keys, ...args);
    return true;
  });
  return done !== null;
}

export type Sequenced = { status: "applied"; applied: AppliedFrame } | { status: "late" };

/**
 * Publishes the frame's result and waits (asynchronously, bounded) until the tracker has applied it
 * — helping to apply whatever is ready meanwhile — or skipped it as late. A frame already applied
 * (a retried job) gets its earlier outcome back without publishing again.
 */
export async function sequenceFrame(
  r: RedisClient,
  opts: { cameraId: string; seq: number; result: FrameResult; line: CountingLine | null },
): Promise<Sequenced> {
  const { cameraId, seq } = opts;
  const first = await readApplied(r, cameraId, seq);
  if (first) return { status: "applied", applied: first };
  const cursor0 = Number((await r.get(trackKeys.cursor(cameraId))) ?? 0);
  if (cursor0 >= seq) {
    // Either this frame's turn has passed, or the camera's counter started again from 1 (its key
    // was lost) while the cursor survived: then the cursor follows the counter down.
    const restarted = await r.eval(
      REWIND,
      2,
      trackKeys.cursor(cameraId),
      trackKeys.seq(cameraId),
      String(cursor0),
      String(seq - 1),
    );
    if (!restarted) return { status: "late" };
  }
  await publishResult(r, cameraId, seq, opts.result);
  const deadline = Date.now() + env().TRACK_REORDER_MS + 10_000;
  let pause = 5;
  for (;;) {
    await applyReady(r, cameraId, opts.line);
    const [appliedRaw, cursorRaw] = await r.mget(trackKeys.applied(cameraId, seq), trackKeys.cursor(cameraId));
    if (appliedRaw) return { status: "applied", applied: JSON.parse(appliedRaw) as AppliedFrame };
    if (Number(cursorRaw ?? 0) >= seq) return { status: "late" };
    if (Date.now() > deadline) throw new Error(`frame ${seq} of camera ${cameraId} was not sequenced in time`);
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(50, pause * 2);
  }
}
