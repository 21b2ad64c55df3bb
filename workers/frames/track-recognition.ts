// Recognition once per track (issue 16, invariant 11): a person in view is one anonymous track, and
// the track — not every frame — is compared with the gallery. Per (camera, track) a small Redis
// hash with a TTL of seconds holds how many embeddings the track has cost, the size of the best
// face embedded so far and, once a consenting shopper matched, who it is. A track embeds its first
// face that passes the quality gate, then only a clearly bigger one, and never more than
// TRACK_MAX_EMBEDDINGS times: the count is taken with HINCRBY before embedding, so parallel workers
// cannot exceed it. A matched track carries its match: its later sightings record the visit again
// (at most once per VISIT_EVERY_MS), and recordVisit re-checks consent in SQL each time
// (invariant 3). A match whose shopper left the live gallery (revoked, checked out) is not carried.
import type { RedisClient } from "../../lib/redis.ts";
import { env } from "../../lib/env.ts";
import { recordVisit } from "../../lib/visits/record-visit.ts";
import { MAX_DEMOGRAPHIC_VOTES } from "../../lib/visits/demographic-votes.ts";
import { trackKeys, TRACK_TTL_SECONDS } from "../../lib/tracking/track-keys.ts";
import type { StoreGallery } from "./gallery-cache.ts";
import type { DetectedFace, VisionPort } from "./vision-port.ts";

/** A retry needs a face at least this much bigger (min side) than the best one embedded. */
export const CLEARLY_BETTER = 1.25;
/** A matched track's sightings record the visit at most this often. */
export const VISIT_EVERY_MS = 2000;

// Claims the track's visit slot for this time (2 s slots): true once per slot, whichever worker asks
// and in whatever order the slots' frames finish.
const CLAIM_SLOT = `
local fresh = redis.call('HSETNX', KEYS[1], 'v' .. ARGV[1], '1')
redis.call('EXPIRE', KEYS[1], ARGV[2])
return fresh`;

// Raises the track's best embedded size if this one is bigger.
const RAISE_BEST = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'best') or '0')
if tonumber(ARGV[1]) > cur then redis.call('HSET', KEYS[1], 'best', ARGV[1]) end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1`;

export type TrackSighting = {
  cameraId: string;
  storeId: string;
  frameId: string;
  /** the ingest clock of the frame (ms): visit throttling follows frame time, not worker time */
  at: number;
  seenAt: Date;
};

export type RecognitionDeps = { redis: RedisClient; vision: VisionPort; gallery: StoreGallery };

/**
 * Recognition for one detection of a frame that belongs to track `trackId`. Returns whether a visit
 * row was written. An unmatched embedding goes out of scope here and is never stored (invariant 2).
 */
export async function recogniseTrackFace(
  deps: RecognitionDeps,
  img: unknown,
  face: DetectedFace,
  faceIndex: number,
  trackId: number,
  s: TrackSighting,
): Promise<boolean> {
  const r = deps.redis;
  const k = trackKeys.recognition(s.cameraId, trackId);
  const ttl = String(TRACK_TTL_SECONDS);
  const h = await r.hgetall(k);
  let userId = h.user;
  let score = Number(h.score ?? 0);
  if (userId === undefined) {
    const spent = Number(h.embeds ?? 0);
    if (spent >= env().TRACK_MAX_EMBEDDINGS) return false;
    const size = Math.min(face.box.w, face.box.h);
    if (spent > 0 && size < Number(h.best ?? 0) * CLEARLY_BETTER) return false;
    if (!(await deps.vision.quality(img, face)).ok) return false;
    // Spend one of the track's embeddings before embedding: parallel workers share the bound.
    const n = await r.hincrby(k, "embeds", 1);
    await r.expire(k, TRACK_TTL_SECONDS);
    if (n > env().TRACK_MAX_EMBEDDINGS) return false;
    await r.eval(RAISE_BEST, 1, k, String(size), ttl);
    const result = deps.gallery.matcher.match(await deps.vision.embed(img, face));
    if (!deps.vision.isMatch(result)) return false;
    const best = result.best!;
    if (!deps.gallery.entries.has(best.id)) return false;
    userId = best.id;
    score = best.score;
    await r.multi().hset(k, "user", userId, "score", String(score)).expire(k, TRACK_TTL_SECONDS).exec();
  }
  // A match is carried only while the shopper is in the live gallery (invariant 5).
  const entry = deps.gallery.entries.get(userId);
  if (!entry) return false;
  const slot = Math.floor(s.at / VISIT_EVERY_MS);
  if (!(await r.eval(CLAIM_SLOT, 1, k, String(slot), ttl))) return false;
  // Age and gender only for a recognised shopper who granted demographics (invariant 4), and at
  // most MAX_DEMOGRAPHIC_VOTES estimates per track; the insert re-checks that consent.
  let demo: { ageBand: string; gender: string } | null = null;
  if (entry.demographics) {
    const votes = await r.hincrby(k, "votes", 1);
    if (votes <= MAX_DEMOGRAPHIC_VOTES) demo = await deps.vision.ageGender(img, face);
  }
  const { inserted } = await recordVisit({
    userId: entry.userId,
    storeId: s.storeId,
    cameraId: s.cameraId,
    frameId: s.frameId,
    faceIndex,
    seenAt: s.seenAt,
    score,
    ageBand: demo?.ageBand ?? null,
    gender: demo?.gender ?? null,
  });
  return inserted;
}
