// The motion gate (issue 16): a frame whose 64x36 grey thumbnail barely differs from the camera's
// last *detected* frame skips detection; the tracker keeps its tracks alive instead. A detection
// is forced at least every FORCE_DETECT_MS, so a person who stands still is still seen by the
// detector now and then. The thumbnail is of the whole view, far too small to recognise anyone,
// and lives seconds in Redis.
import sharp from "sharp";
import type { RedisClient } from "../../lib/redis.ts";
import { isStatic, THUMB_HEIGHT, THUMB_WIDTH, type Thumbnail } from "../../lib/tracking/motion.ts";
import { trackKeys } from "../../lib/tracking/track-keys.ts";

export const FORCE_DETECT_MS = 2000;
const THUMB_TTL_SECONDS = 10;

export type Glance = { width: number; height: number; thumb: Thumbnail };

/** The frame's size and grey thumbnail (JPEG shrink-on-load: far cheaper than a full decode). */
export async function glance(jpeg: Buffer): Promise<Glance> {
  const meta = await sharp(jpeg).metadata();
  if (!meta.width || !meta.height) throw new Error("no image size");
  // The size of the decoded frame the detector sees (decodeImage applies the EXIF orientation).
  const turned = (meta.orientation ?? 1) >= 5;
  const data = await sharp(jpeg, { failOn: "warning" })
    .rotate()
    .greyscale()
    .resize(THUMB_WIDTH, THUMB_HEIGHT, { fit: "fill" })
    .raw()
    .toBuffer();
  return {
    width: turned ? meta.height : meta.width,
    height: turned ? meta.width : meta.height,
    thumb: { width: THUMB_WIDTH, height: THUMB_HEIGHT, data },
  };
}

/** True when the frame may skip detection: unchanged since the last detected frame, seen lately. */
export async function unchanged(r: RedisClient, cameraId: string, g: Glance, at: number): Promise<boolean> {
  const prev = await r.getBuffer(trackKeys.thumb(cameraId));
  if (!prev || prev.length !== 8 + g.thumb.data.length) return false;
  const detectedAt = prev.readDoubleBE(0);
  if (at - detectedAt >= FORCE_DETECT_MS || at < detectedAt) return false;
  return isStatic({ width: THUMB_WIDTH, height: THUMB_HEIGHT, data: prev.subarray(8) }, g.thumb);
}

/** Remembers a detected frame's thumbnail as the one the next frames are compared with. */
export async function rememberDetected(r: RedisClient, cameraId: string, g: Glance, at: number): Promise<void> {
  const head = Buffer.alloc(8);
  head.writeDoubleBE(at, 0);
  await r.set(trackKeys.thumb(cameraId), Buffer.concat([head, g.thumb.data]), "EX", THUMB_TTL_SECONDS);
}
