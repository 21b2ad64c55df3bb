// A counting line across a camera's view, in coordinates normalised to the frame (0..1), with a
// dead band on each side. A track's side changes only when its centre leaves the band on the other
// side, so a person who stops on the line, sways on it, or whose detections jitter across it is
// counted once — the failure users of simple line counters report (opendatacam#204).
import { z } from "zod";
import { center, type Box } from "./box.ts";

export const countingLineSchema = z
  .object({
    x1: z.number().min(0).max(1),
    y1: z.number().min(0).max(1),
    x2: z.number().min(0).max(1),
    y2: z.number().min(0).max(1),
    // half-width of the dead band, as a share of the frame diagonal
    band: z.number().min(0).max(0.25).default(0.03),
  })
  .strict()
  .refine((l) => Math.hypot(l.x2 - l.x1, l.y2 - l.y1) > 0.05, "the line must be longer than 5% of the frame");
export type CountingLine = z.infer<typeof countingLineSchema>;

export type Side = "A" | "B";

/**
 * Signed distance of the box centre from the line, as a share of the frame diagonal. Positive is
 * side "B" (to the left of the direction x1,y1 -> x2,y2 in image coordinates): crossing A -> B is "in".
 */
export function signedDistance(line: CountingLine, box: Box, frame: { width: number; height: number }): number {
  const { cx, cy } = center(box);
  const ax = line.x1 * frame.width;
  const ay = line.y1 * frame.height;
  const dx = (line.x2 - line.x1) * frame.width;
  const dy = (line.y2 - line.y1) * frame.height;
  // Pixel distance from the (infinite) line, scaled to the diagonal so the band means the same on
  // any aspect ratio.
  const pixels = (dx * (cy - ay) - dy * (cx - ax)) / Math.hypot(dx, dy);
  return pixels / Math.hypot(frame.width, frame.height);
}

/** Side of the line once clear of the band, or null inside it. */
export function clearSide(line: CountingLine, box: Box, frame: { width: number; height: number }): Side | null {
  const d = signedDistance(line, box, frame);
  if (d > line.band) return "B";
  if (d < -line.band) return "A";
  return null;
}

/** The side a track starts on: clear of the band if it is, otherwise the nearest side. */
export function nearestSide(line: CountingLine, box: Box, frame: { width: number; height: number }): Side {
  return signedDistance(line, box, frame) >= 0 ? "B" : "A";
}
