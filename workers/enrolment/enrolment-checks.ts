import { visionConfig } from "../../lib/vision/config.ts";
import type { DetectedFace, VisionPort } from "../frames/vision-port.ts";

export const ENROL_MIN_FACE_PX = 80;

export type EnrolmentCheck<Face> =
  { ok: true; face: Face; liveness: number } | { ok: false; reason: string; liveness?: number };

/**
 * The production enrolment checks on a decoded photo, in order (cheapest first): exactly one face,
 * large enough, the quality gate, then liveness >= LIVENESS_MIN (lib/vision/config.ts). The
 * enrolment job and `npm run eval` both run this, so the measured refusals are the real ones.
 */
export async function enrolmentChecks<Img, Face extends DetectedFace>(
  vision: VisionPort<Img, Face>,
  img: Img,
): Promise<EnrolmentCheck<Face>> {
  const faces = await vision.detect(img);
  if (faces.length === 0) return { ok: false, reason: "no_face" };
  if (faces.length > 1) return { ok: false, reason: "several_faces" };
  const face = faces[0]!;
  if (Math.min(face.box.w, face.box.h) < ENROL_MIN_FACE_PX) return { ok: false, reason: "face_too_small" };
  const q = await vision.quality(img, face);
  if (!q.ok) return { ok: false, reason: `quality_${q.reason ?? "low"}` };
  const liveness = await vision.liveness(img, face);
  if (liveness < visionConfig().LIVENESS_MIN) return { ok: false, reason: "liveness", liveness };
  return { ok: true, face, liveness };
}
