import { visionConfig } from "../../lib/vision/config.ts";
import type { DetectedFace, VisionPort } from "../frames/vision-port.ts";

export const ENROL_MIN_FACE_PX = 80;
// A second face counts only from this fraction of the largest face's shorter side: smaller ones
// are people further back (at a kiosk, someone walking past), ignored; a face nearly as large is
// a second person at the camera, refused as several_faces.
export const ENROL_SECOND_FACE_RATIO = 0.5;
// Only faces the whole frame confirms count (their boxes are the tiled detector's, as for every
// frame). The detector's tiles exist to find faces too small
// for the whole frame (crowd frames); on a photo with a large face they add boxes the whole frame
// does not confirm, and on the detection set those are mostly not faces: of the tiled detector's
// boxes of 64 px or more, the whole frame alone finds 132 of the 133 that are labelled faces, and 1
// of the 9 boxes only a tile finds is one (40 to 64 px: 172 of 181, 9 of 21), measured by
// `npm run eval -- --detection-only`. A chest, a shoulder or a blurred background then counted as
// a second face and refused a photo of one person (README "Enrolment and liveness").

export type EnrolmentCheck<Face> =
  { ok: true; face: Face; liveness: number } | { ok: false; reason: string; liveness?: number };

/**
 * The production enrolment checks on a decoded photo, in order (cheapest first): one dominant face
 * among those the whole frame confirms (the largest; any other must be smaller than
 * ENROL_SECOND_FACE_RATIO of it), large enough, the quality gate, then liveness >= LIVENESS_MIN (lib/vision/config.ts). The kiosk enrolment job
 * runs it on every frame of a burst and `npm run eval` on every photo, so the measured refusals
 * are the real ones.
 */
export async function enrolmentChecks<Img, Face extends DetectedFace>(
  vision: VisionPort<Img, Face>,
  img: Img,
): Promise<EnrolmentCheck<Face>> {
  const c = await faceChecks(vision, img);
  if (c.ok && c.liveness < visionConfig().LIVENESS_MIN) return { ok: false, reason: "liveness", liveness: c.liveness };
  return c;
}

/**
 * The same checks but liveness only scored, not decided: a kiosk burst decides liveness once over
 * all its frames (burstLiveness).
 */
export async function faceChecks<Img, Face extends DetectedFace>(
  vision: VisionPort<Img, Face>,
  img: Img,
): Promise<EnrolmentCheck<Face>> {
  const faces = await vision.detect(img, { wholeFrameConfirmed: true });
  if (faces.length === 0) return { ok: false, reason: "no_face" };
  const side = (f: Face) => Math.min(f.box.w, f.box.h);
  const [face, second] = [...faces].sort((a, b) => side(b) - side(a)) as [Face, Face | undefined];
  if (second && side(second) >= ENROL_SECOND_FACE_RATIO * side(face)) return { ok: false, reason: "several_faces" };
  if (side(face) < ENROL_MIN_FACE_PX) return { ok: false, reason: "face_too_small" };
  const q = await vision.quality(img, face);
  if (!q.ok) return { ok: false, reason: `quality_${q.reason ?? "low"}` };
  return { ok: true, face, liveness: await vision.liveness(img, face) };
}

/**
 * A burst's liveness: the median of its frames' scores. The model's score for one real face can
 * swing from 0.04 to 0.44 with a 2 px shift of the box or another JPEG quality (measured on the
 * kiosk e2e test's photos), so one unlucky frame must not refuse a person; a print or a screen held
 * up stays the same presentation in every frame, and the median of its scores stays low.
 */
export function burstLiveness(scores: readonly number[]): number {
  if (!scores.length) return 0;
  const s = [...scores].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
