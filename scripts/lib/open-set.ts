// The open set on the production path: every face the detector finds in a frame of people who
// never enrolled goes through what the frame job does with it (workers/frames/track-recognition.ts):
// the quality gate, then the embedding, the gallery match and the production match rule (threshold
// and margin over the second best, the vision port's isMatch). A face that passes the gate is a
// probe; a probe the rule matches is a false identification.
import type { Matcher } from "../../workers/frames/gallery-cache.ts";
import type { DetectedFace, VisionPort } from "../../workers/frames/vision-port.ts";

export type ProbeOutcome =
  { gated: false; reason: string } | { gated: true; matched: boolean; best: number; second: number };

/** Each face (the detector's own boxes: `faces`, or vision.detect(img) when not given) through the gate and the match rule. */
export async function productionProbes<Img, Face extends DetectedFace>(
  vision: VisionPort<Img, Face>,
  matcher: Matcher,
  img: Img,
  faces?: Face[],
): Promise<ProbeOutcome[]> {
  const out: ProbeOutcome[] = [];
  for (const face of faces ?? (await vision.detect(img))) {
    const q = await vision.quality(img, face);
    if (!q.ok) {
      out.push({ gated: false, reason: q.reason ?? "low" });
      continue;
    }
    const r = matcher.match(await vision.embed(img, face));
    out.push({ gated: true, matched: vision.isMatch(r), best: r.best?.score ?? -1, second: r.second?.score ?? -1 });
  }
  return out;
}

export type OpenSetScore = {
  detections: number;
  probes: number;
  falseIdentifications: number;
  falseIdentificationRate: number;
  /** Probes whose best score reaches the threshold, margin or not: what the margin rule turned away is the difference. */
  aboveThreshold: number;
  refusedByGate: Record<string, number>;
};

/** Tally of the outcomes; the rate is false identifications over probes (0 when there is none). */
export function scoreOpenSet(outcomes: ProbeOutcome[], threshold: number): OpenSetScore {
  const refusedByGate: Record<string, number> = {};
  let probes = 0,
    fi = 0,
    above = 0;
  for (const o of outcomes) {
    if (!o.gated) {
      refusedByGate[o.reason] = (refusedByGate[o.reason] ?? 0) + 1;
      continue;
    }
    probes++;
    if (o.matched) fi++;
    if (o.best >= threshold) above++;
  }
  return {
    detections: outcomes.length,
    probes,
    falseIdentifications: fi,
    falseIdentificationRate: probes ? fi / probes : 0,
    aboveThreshold: above,
    refusedByGate,
  };
}
