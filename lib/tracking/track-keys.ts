import { key } from "../redis.ts";

// Redis keys of one camera's anonymous tracking (invariant 11). All of them share the deployment's
// prefix (a hash tag in a Redis Cluster), so a MULTI over several of them stays in one slot.
// Boxes, times and counters only, never pixels or appearance; everything that holds a box lives
// seconds (TRACK_TTL_SECONDS). The sequence counter and the cursor are bare numbers and persist, so
// frame order survives a quiet camera.
export const trackKeys = {
  /** INCR at ingest: the camera's frame number. */
  seq: (cameraId: string) => key("cam-seq", cameraId),
  /** the highest seq applied to the tracker (or skipped as late) */
  cursor: (cameraId: string) => key("track", cameraId, "cursor"),
  /** the tracker state, JSON */
  state: (cameraId: string) => key("track", cameraId, "state"),
  /** a frame's detections (or null, or a missing marker), waiting to be applied */
  result: (cameraId: string, seq: number) => key("track", cameraId, "r", String(seq)),
  /** sorted set of the seqs whose result waits */
  ready: (cameraId: string) => key("track", cameraId, "ready"),
  /** what applying a frame gave: its detections' track ids and the boxes of unmatched tracks */
  applied: (cameraId: string, seq: number) => key("track", cameraId, "a", String(seq)),
  lock: (cameraId: string) => key("track", cameraId, "lock"),
  /** sorted set: cameras with a confirmed track in view, by the wall-clock ms of their last commit */
  active: () => key("track-active"),
  /** the low-resolution grey thumbnail of the camera's last detected frame (motion gate) */
  thumb: (cameraId: string) => key("track", cameraId, "thumb"),
  /** per-track recognition state (embeddings spent, best quality, match) */
  recognition: (cameraId: string, trackId: number) => key("track", cameraId, "t", String(trackId)),
};

/** Life of a track's state once its camera goes quiet. */
export const TRACK_TTL_SECONDS = 30;

/** A frame that will never be applied (expired, corrupt, camera disabled): nobody waits for it. */
export const MISSING = "missing";
