// A camera that stops sending frames (unplugged, store closed, network down) leaves its tracks in
// the tracker state, which expires TRACK_TTL_SECONDS later: the people in view would be counted in
// but never out, and their dwell never binned. Every few seconds (job tracks.quiet) this ends the
// tracks of each camera that has had someone in view but no frame for QUIET_MS, exactly as a
// frame after a long gap would (tracker.ts `flush`): an exit at each track's last sighting.
import type { RedisClient } from "../../lib/redis.ts";
import { db } from "../../lib/db.ts";
import { countFrame } from "../../lib/footfall/count-frame.ts";
import { trackKeys, TRACK_TTL_SECONDS } from "../../lib/tracking/track-keys.ts";
import { flush, type TrackerState } from "../../lib/tracking/tracker.ts";
import { withCameraLock } from "./track-sequencer.ts";

/** No commit for this long, and no frame waiting: the camera is quiet. Well under the state's TTL. */
export const QUIET_MS = 10_000;
const BATCH = 200;

// KEYS: cursor, state, active cameras, the camera's ingest counter. ARGV: the cursor read, the state
// without tracks, camera id, the quiet cut-off, ttl. Ends the tracks only if no frame was applied
// since they were read, none is ingested and waiting (the counter is past the cursor: a backlog,
// not a quiet camera), and the camera's last commit is still before the cut-off.
const CLOSE = `
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if cur ~= tonumber(ARGV[1]) then return 0 end
if tonumber(redis.call('GET', KEYS[4]) or '0') > cur then return 0 end
local last = redis.call('ZSCORE', KEYS[3], ARGV[3])
if last and tonumber(last) > tonumber(ARGV[4]) then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[5])
redis.call('ZREM', KEYS[3], ARGV[3])
return 1`;

export type QuietSweep = { cameras: number; exits: number };

export async function closeQuietTracks(r: RedisClient, now = Date.now()): Promise<QuietSweep> {
  const cutoff = now - QUIET_MS;
  const quiet = await r.zrangebyscore(trackKeys.active(), "-inf", cutoff, "LIMIT", 0, BATCH);
  const out: QuietSweep = { cameras: 0, exits: 0 };
  for (const cameraId of quiet) {
    const ended = await withCameraLock(r, cameraId, async () => {
      const [cursorRaw, stateRaw] = await r.mget(trackKeys.cursor(cameraId), trackKeys.state(cameraId));
      if (!stateRaw) {
        // Expired already (workers were down longer than the TTL): nothing is left to end.
        await r.zrem(trackKeys.active(), cameraId);
        return null;
      }
      const state = JSON.parse(stateRaw) as TrackerState;
      const cleared: TrackerState = { ...state, tracks: [] };
      const keys = [trackKeys.cursor(cameraId), trackKeys.state(cameraId), trackKeys.active(), trackKeys.seq(cameraId)];
      const args = [cursorRaw ?? "0", JSON.stringify(cleared), cameraId, String(cutoff), String(TRACK_TTL_SECONDS)];
      if (!(await r.eval(CLOSE, keys.length, ...keys, ...args))) return null;
      return { state, events: flush(state) };
    });
    if (!ended?.events.length) continue;
    // Counted after the state is cleared, so a crash in between loses these exits rather than
    // counting them twice (as a crashed frame job's retry would not find them either).
    const camera = await db().camera.findUnique({ where: { id: cameraId }, select: { storeId: true } });
    if (!camera) continue;
    await countFrame({
      cameraId,
      storeId: camera.storeId,
      capturedAt: new Date(ended.state.lastT),
      events: ended.events,
      outcome: "camera-quiet",
    });
    out.cameras++;
    out.exits += ended.events.length;
  }
  return out;
}
