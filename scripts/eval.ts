// npm run eval -- --faces <dir> [--json <file>]
// Runs the real pipeline on a folder in the format of ../shared/faces and prints detection recall
// and precision, verification error rates, and the open-set false identification rate that
// decides the match threshold. See README "Accuracy".
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  decodeImage,
  detectFaces,
  facePoints,
  embedAligned,
  qualityGate,
  isMatch,
  visionConfig,
  cosine,
  type Rect,
  type ScoredBox,
} from "../workers/vision/index.ts";
import { containment, iou } from "../workers/vision/boxes.ts";
import { matchDetections } from "../workers/vision/match-detections.ts";
import { createVision } from "../workers/frames/onnx-vision.ts";
import { enrolmentChecks } from "../workers/enrolment/enrolment-checks.ts";
import type { Matcher } from "../workers/frames/gallery-cache.ts";
import { productionProbes, scoreOpenSet, type ProbeOutcome } from "./lib/open-set.ts";
import { livenessRoom } from "../workers/vision/attributes.ts";
import { WHOLE_FRAME_CONFIRM_IOU } from "../workers/vision/detect.ts";
import { faceGrey, laplacianVariance } from "../workers/vision/quality.ts";

type Vision = Awaited<ReturnType<typeof createVision>>;
type Img = Awaited<ReturnType<typeof decodeImage>>;

type Boxes = Record<string, [number, number, number, number][]>;
type Meta = Record<string, { faces?: { box?: number[]; label?: string }[] }>;

const { values } = parseArgs({
  options: {
    faces: { type: "string" },
    json: { type: "string" },
    sweep: { type: "boolean" },
    every: { type: "string" },
    start: { type: "string" },
    "detection-only": { type: "boolean" },
    "enrolment-only": { type: "boolean" },
  },
});
// --every N scores every Nth detection image only (for exploring settings on a loaded machine);
// --detection-only skips verification and the open set; --enrolment-only runs only the enrolment
// outcomes of the verification photos. Reported numbers use the whole set. --start K (0 <= K < N,
// default 0) takes images K, K+N, ...: with --every 2, --start 0 and --start 1 are the two halves
// of the set, to choose a setting on one and check it on the other.
const every = Math.max(1, Number(values.every ?? 1) || 1);
const start = Math.min(every - 1, Math.max(0, Number(values.start ?? 0) || 0));
const facesDir = path.resolve(
  values.faces ?? process.env.FACES_DIR ?? path.join(import.meta.dirname, "../../shared/faces"),
);
if (
  !existsSync(path.join(facesDir, "detection/boxes.json")) ||
  !existsSync(path.join(facesDir, "verification/pairs.json"))
) {
  console.error(
    `faces folder not found or incomplete: ${facesDir}\nexpected detection/boxes.json and verification/pairs.json (format of ../shared/faces/README.md); pass --faces <dir> or set FACES_DIR`,
  );
  process.exit(2);
}

const toRect = (b: number[]): Rect => ({ x: b[0]!, y: b[1]!, w: b[2]!, h: b[3]! });
const sizeBin = (r: Rect) => {
  const s = Math.min(r.w, r.h);
  return s < 20 ? "lt20" : s < 40 ? "20to40" : s < 80 ? "40to80" : "ge80";
};
const ratio = (a: number, b: number) => (b ? a / b : 0);

/**
 * `onImage`, when given, runs after each image's timed detection (outside the timing) with the
 * detector's own boxes, unfiltered: what the frame job would receive.
 */
async function detection(onImage?: (img: Img, dets: ScoredBox[]) => Promise<void>) {
  const dir = path.join(facesDir, "detection");
  const gt = JSON.parse(readFileSync(path.join(dir, "boxes.json"), "utf8")) as Boxes;
  const ignore: Boxes = existsSync(path.join(dir, "ignore.json"))
    ? JSON.parse(readFileSync(path.join(dir, "ignore.json"), "utf8"))
    : {};
  const meta: Meta = existsSync(path.join(dir, "meta.json"))
    ? JSON.parse(readFileSync(path.join(dir, "meta.json"), "utf8"))
    : {};
  const tally = { iou50: { tp: 0, fp: 0 }, iou30: { tp: 0, fp: 0 } };
  const bins: Record<string, { n: number; hit: number }> = {
    lt20: { n: 0, hit: 0 },
    "20to40": { n: 0, hit: 0 },
    "40to80": { n: 0, hit: 0 },
    ge80: { n: 0, hit: 0 },
  };
  // Recall (IoU 0.3) per mask label (meta.json; faces without one are "unlabelled") and per image
  // source, the file name's prefix before the first "_" (fmd, wider, dlib, neg, ...).
  const byLabel: Record<string, { n: number; hit: number }> = {};
  const bySource: Record<string, { n: number; hit: number }> = {};
  const bump = (m: Record<string, { n: number; hit: number }>, k: string, hit: boolean) => {
    const e = (m[k] ??= { n: 0, hit: 0 });
    e.n++;
    if (hit) e.hit++;
  };
  // The tiled detector's boxes of 40 px and more, by whether the whole frame alone finds them (IoU
  // >= 0.3) and whether they are a labelled face (IoU >= 0.3): what enrolment, which looks at the
  // whole frame only (workers/enrolment/enrolment-checks.ts), gives up and avoids.
  const wholeFrame: Record<
    "40to64" | "ge64",
    { wholeFace: number; wholeNot: number; tileOnlyFace: number; tileOnlyNot: number }
  > = {
    "40to64": { wholeFace: 0, wholeNot: 0, tileOnlyFace: 0, tileOnlyNot: 0 },
    ge64: { wholeFace: 0, wholeNot: 0, tileOnlyFace: 0, tileOnlyNot: 0 },
  };
  let faces = 0;
  let ms = 0;
  const probes: { file: string; box: Rect }[] = [];
  for (const [file, raw] of Object.entries(gt).filter((_, i) => i % every === start)) {
    const ignored = (ignore[file] ?? []).map(toRect);
    const labels = (meta[file]?.faces ?? []).map((f) => f.label ?? "unlabelled");
    const source = file.includes("_") ? file.slice(0, file.indexOf("_")) : "other";
    const truthAll = raw.map((b, i) => ({ box: toRect(b), label: labels[i] ?? "unlabelled" }));
    const kept = truthAll.filter((g) => !ignored.some((i) => containment(i, g.box) > 0.5));
    const truth = kept.map((g) => g.box);
    const bytes = readFileSync(path.join(dir, file));
    const t0 = performance.now();
    const img = await decodeImage(bytes);
    const found = await detectFaces(img);
    const dets = found.filter((d) => !ignored.some((i) => containment(i, d) > 0.5));
    ms += performance.now() - t0;
    if (onImage) await onImage(img, found);
    faces += truth.length;
    const whole = await detectFaces(img, { grid: [0, 0] });
    for (const d of dets) {
      const side = Math.min(d.w, d.h);
      if (side < 40) continue;
      const bin = wholeFrame[side < 64 ? "40to64" : "ge64"];
      const face = truth.some((g) => iou(g, d) >= 0.3);
      if (whole.some((w) => iou(w, d) >= WHOLE_FRAME_CONFIRM_IOU)) bin[face ? "wholeFace" : "wholeNot"]++;
      else bin[face ? "tileOnlyFace" : "tileOnlyNot"]++;
    }
    for (const [key, thr] of [
      ["iou50", 0.5],
      ["iou30", 0.3],
    ] as const) {
      const m = matchDetections(dets, truth, thr);
      tally[key].tp += m.tp;
      tally[key].fp += m.fp;
      if (key !== "iou30") continue;
      kept.forEach((g, i) => {
        const hit = m.truthMatched[i]!;
        bins[sizeBin(g.box)]!.n++;
        if (hit) bins[sizeBin(g.box)]!.hit++;
        bump(byLabel, g.label, hit);
        bump(bySource, source, hit);
      });
    }
    for (const g of truth) probes.push({ file, box: g });
  }
  const images = Object.keys(gt).filter((_, i) => i % every === start).length;
  return {
    result: {
      iou50: {
        recall: ratio(tally.iou50.tp, faces),
        precision: ratio(tally.iou50.tp, tally.iou50.tp + tally.iou50.fp),
      },
      iou30: {
        recall: ratio(tally.iou30.tp, faces),
        precision: ratio(tally.iou30.tp, tally.iou30.tp + tally.iou30.fp),
      },
      recallBySize: Object.fromEntries(Object.entries(bins).map(([k, v]) => [k, ratio(v.hit, v.n)])) as Record<
        string,
        number
      >,
      recallByLabel: Object.fromEntries(Object.entries(byLabel).map(([k, v]) => [k, ratio(v.hit, v.n)])) as Record<
        string,
        number
      >,
      recallBySource: Object.fromEntries(Object.entries(bySource).map(([k, v]) => [k, ratio(v.hit, v.n)])) as Record<
        string,
        number
      >,
      images,
      faces,
      wholeFrame,
    },
    bins,
    byLabel,
    bySource,
    wholeFrame,
    msPerImage: ms / images,
    probes,
  };
}

/** Enrolment-like photo: the largest detected face, or the whole crop when the detector finds none. */
async function enrolEmbedding(file: string): Promise<{ emb: Float32Array; fallback: boolean }> {
  const img = await decodeImage(readFileSync(file));
  const faces = await detectFaces(img, { grid: [0, 0] });
  const box: Rect = faces.sort((a, b) => b.w * b.h - a.w * a.h)[0] ?? {
    x: img.width * 0.1,
    y: img.height * 0.1,
    w: img.width * 0.8,
    h: img.height * 0.8,
  };
  return { emb: await embedAligned(img, await facePoints(img, box)), fallback: faces.length === 0 };
}

/** A photo is colour unless every pixel has R = G = B (the set's grey face crops, stored as RGB). */
function isColour(img: { data: Uint8Array }): boolean {
  const d = img.data;
  for (let i = 0; i < d.length; i += 3) if (d[i] !== d[i + 1] || d[i] !== d[i + 2]) return true;
  return false;
}

const CONTEXT_SPLIT = 1.5;
const quantile = (sorted: number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * (sorted.length - 1))))]! : NaN;

// A refusal for one of these reasons means the photo does not show one clear face: no face at all,
// or a second face at least ENROL_SECOND_FACE_RATIO the size of the largest (two people at the
// camera). Those photos leave the denominator of the accepted share; every other refusal (too
// small, pose, blur, liveness) counts against it, since the eval cannot tell a truly blurred photo
// from a sharp one wrongly refused (the per-photo lines show the sharpness to judge by).
const NOT_ONE_CLEAR_FACE = new Set(["no_face", "several_faces"]);
// Blurred copies: the face as the quality gate measures it (faceGrey), blurred with a Gaussian of
// this sigma in px at that scale, must fall below QUALITY_MIN_SHARPNESS (blurred photos refused).
const BLUR_SIGMAS = [1, 1.5, 2];

function gaussianBlur(g: Float32Array, w: number, h: number, sigma: number): Float32Array {
  const r = Math.ceil(3 * sigma);
  const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const sum = k.reduce((a, b) => a + b, 0);
  const pass = (src: Float32Array, dx: number, dy: number) => {
    const out = new Float32Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        let acc = 0;
        for (let i = -r; i <= r; i++) {
          const xx = Math.min(w - 1, Math.max(0, x + i * dx)),
            yy = Math.min(h - 1, Math.max(0, y + i * dy));
          acc += k[i + r]! * src[yy * w + xx]!;
        }
        out[y * w + x] = acc / sum;
      }
    return out;
  };
  return pass(pass(g, 1, 0), 0, 1);
}
const SWEEP_LIVENESS = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7];
const SWEEP_SHARPNESS = [20, 40, 60, 80, 120, 200];

/**
 * Every verification photo through the production enrolment checks (workers/enrolment/
 * enrolment-checks.ts, the same function the enrolment job runs, with the worker's vision port):
 * accepted, or refused with the reason. Reported for the colour photos (the closest thing to a
 * shopper's selfie; the grey face crops are reported apart):
 * - the accepted share of the photos that show one clear face (NOT_ONE_CLEAR_FACE leave it), and
 *   the refusals by reason, the issue 11 acceptance measure (>= 90%, i.e. <= 10% refused);
 * - BPCER (ISO/IEC 30107-3: bona fide presentations classified as attacks): liveness refusals over
 *   the colour photos that reached the liveness check;
 * - a sweep of LIVENESS_MIN and QUALITY_MIN_SHARPNESS recomputed from each photo's scores, the
 *   grey crops passing liveness beside it (the stand-in for an uploaded photo of someone else).
 */
async function enrolment(vision: Vision) {
  const vdir = path.join(facesDir, "verification");
  const ids = JSON.parse(readFileSync(path.join(vdir, "identities.json"), "utf8")) as Record<string, string[]>;
  // The open set's gallery: one template per accepted photo, embedded from the face the checks
  // accepted, as the enrolment job does (vision.embed(img, check.face)).
  const templates: { file: string; embedding: Float32Array }[] = [];
  const cfg = visionConfig();
  type Photo = {
    file: string;
    colour: boolean;
    outcome: string;
    faces: number;
    secondRatio: number | null;
    side: number | null;
    pose: boolean | null;
    sharpness: number | null;
    liveness: number | null;
    room: number | null;
    blurredSharpness: number[] | null;
  };
  const photos: Photo[] = [];
  for (const file of Object.values(ids).flat().sort()) {
    const img = await decodeImage(readFileSync(path.join(vdir, file)));
    const check = await enrolmentChecks(vision, img);
    if (check.ok) templates.push({ file, embedding: await vision.embed(img, check.face) });
    // The same scores again for the dominant face, even where an earlier check refused it: the
    // sweep and the score distributions need them. `room` = how much of the liveness model's 2.7x
    // crop the photo itself fills (about 1 for a face chip; the rest is padding).
    const faces = await vision.detect(img, { wholeFrameConfirmed: true });
    const side = (f: (typeof faces)[number]) => Math.min(f.box.w, f.box.h);
    const [dominant, second] = [...faces].sort((a, b) => side(b) - side(a));
    const q = dominant ? await qualityGate(img, dominant.box) : null;
    const grey = dominant ? faceGrey(img, dominant.box) : null;
    photos.push({
      file,
      colour: isColour(img),
      outcome: check.ok ? "accepted" : check.reason,
      faces: faces.length,
      secondRatio: dominant && second ? side(second) / side(dominant) : null,
      side: dominant ? side(dominant) : null,
      pose: q ? q.reason !== "pose" && q.reason !== "small" : null,
      sharpness: q && Number.isFinite(q.sharpness) ? q.sharpness : null,
      liveness: dominant ? (check.liveness ?? (await vision.liveness(img, dominant))) : null,
      room: dominant ? livenessRoom(img, dominant.box) : null,
      blurredSharpness: grey
        ? BLUR_SIGMAS.map((sg) => laplacianVariance(gaussianBlur(grey.g, grey.w, grey.h, sg), grey.w, grey.h))
        : null,
    });
  }
  // The production decision recomputed from the scores at other thresholds (checks in the same order).
  const acceptedAt = (p: Photo, liveMin: number, sharpMin: number) =>
    !NOT_ONE_CLEAR_FACE.has(p.outcome) &&
    p.outcome !== "face_too_small" &&
    p.pose === true &&
    p.sharpness !== null &&
    p.sharpness >= sharpMin &&
    p.liveness !== null &&
    p.liveness >= liveMin;
  const inconsistent = photos.filter(
    (p) => acceptedAt(p, cfg.LIVENESS_MIN, cfg.QUALITY_MIN_SHARPNESS) !== (p.outcome === "accepted"),
  );
  const count = (list: Photo[]) =>
    list.reduce<Record<string, number>>((m, p) => ((m[p.outcome] = (m[p.outcome] ?? 0) + 1), m), {});
  const colour = photos.filter((p) => p.colour);
  const grey = photos.filter((p) => !p.colour);
  const oneClearFace = colour.filter((p) => !NOT_ONE_CLEAR_FACE.has(p.outcome));
  const judged = colour.filter((p) => p.outcome === "accepted" || p.outcome === "liveness");
  const bpcerAt = (list: Photo[], thr: number) => ratio(list.filter((p) => p.liveness! < thr).length, list.length);
  const withContext = judged.filter((p) => p.room! >= CONTEXT_SPLIT);
  const closeUps = judged.filter((p) => p.room! < CONTEXT_SPLIT);
  const greyScored = grey.filter((p) => p.liveness !== null);
  const dist = (list: Photo[]) => {
    const v = list
      .filter((p) => p.liveness !== null)
      .map((p) => p.liveness!)
      .sort((a, b) => a - b);
    return { n: v.length, min: v[0] ?? NaN, p05: quantile(v, 0.05), p10: quantile(v, 0.1), median: quantile(v, 0.5) };
  };
  const single = colour.filter((p) => p.faces === 1 || p.outcome !== "several_faces");
  const accepted = oneClearFace.filter((p) => p.outcome === "accepted").length;
  const byOutcome = count(photos);
  const summary = {
    livenessMin: cfg.LIVENESS_MIN,
    sharpnessMin: cfg.QUALITY_MIN_SHARPNESS,
    photos: photos.length,
    colourPhotos: colour.length,
    accepted: byOutcome.accepted ?? 0,
    // Photos the production checks refused, by reason: they are not in the open set's gallery.
    refused: Object.fromEntries(Object.entries(byOutcome).filter(([k]) => k !== "accepted")),
    byOutcome,
    colourByOutcome: count(colour),
    notOneClearFace: colour
      .filter((p) => NOT_ONE_CLEAR_FACE.has(p.outcome))
      .map((p) => ({ file: p.file, reason: p.outcome, secondFaceRatio: p.secondRatio })),
    oneClearFace: oneClearFace.length,
    oneClearFaceAccepted: accepted,
    oneClearFaceAcceptRate: ratio(accepted, oneClearFace.length),
    oneClearFaceRefusedByReason: count(oneClearFace.filter((p) => p.outcome !== "accepted")),
    bpcer: bpcerAt(judged, cfg.LIVENESS_MIN),
    bpcerDenominator: judged.length,
    bpcerWithContext: bpcerAt(withContext, cfg.LIVENESS_MIN),
    bpcerWithContextDenominator: withContext.length,
    bpcerCloseUps: bpcerAt(closeUps, cfg.LIVENESS_MIN),
    bpcerCloseUpsDenominator: closeUps.length,
    colourAcceptRate: ratio(colour.filter((p) => p.outcome === "accepted").length, colour.length),
    greyAccepted: grey.filter((p) => p.outcome === "accepted").length,
    greyPhotos: grey.length,
    livenessSweep: SWEEP_LIVENESS.map((thr) => ({
      threshold: thr,
      oneClearFaceAcceptRate: ratio(
        oneClearFace.filter((p) => acceptedAt(p, thr, cfg.QUALITY_MIN_SHARPNESS)).length,
        oneClearFace.length,
      ),
      bpcer: bpcerAt(judged, thr),
      bpcerWithContext: bpcerAt(withContext, thr),
      bpcerCloseUps: bpcerAt(closeUps, thr),
      greyPassingLiveness: greyScored.filter((p) => p.liveness! >= thr).length,
    })),
    sharpnessSweep: SWEEP_SHARPNESS.map((thr) => ({
      threshold: thr,
      oneClearFaceAcceptRate: ratio(
        oneClearFace.filter((p) => acceptedAt(p, cfg.LIVENESS_MIN, thr)).length,
        oneClearFace.length,
      ),
      colourRefusedBlur: oneClearFace.filter((p) => p.pose && p.sharpness !== null && p.sharpness < thr).length,
    })),
    blurredCopiesRefused: BLUR_SIGMAS.map((sigma, i) => {
      const scored = photos.filter((p) => p.blurredSharpness !== null);
      return {
        sigma,
        refused: scored.filter((p) => p.blurredSharpness![i]! < cfg.QUALITY_MIN_SHARPNESS).length,
        of: scored.length,
        max: Math.max(...scored.map((p) => p.blurredSharpness![i]!)),
      };
    }),
    colourLivenessScores: dist(single),
    colourLivenessScoresWithContext: dist(single.filter((p) => p.room! >= CONTEXT_SPLIT)),
    colourLivenessScoresCloseUps: dist(single.filter((p) => p.room! < CONTEXT_SPLIT)),
    greyLivenessScores: dist(greyScored),
    apcer: "unmeasured: no presentation-attack data in the development set",
    sweepInconsistentWithProduction: inconsistent.map((p) => p.file),
    perPhoto: photos,
  };
  return { summary, templates };
}

function printEnrolment(e: Awaited<ReturnType<typeof enrolment>>["summary"]) {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  console.log(
    `\nenrolment: every verification photo through the production checks (liveness >= ${e.livenessMin}, sharpness >= ${e.sharpnessMin})`,
  );
  console.log(
    `  outcome              all (${String(e.photos).padStart(3)})  colour (${String(e.colourPhotos).padStart(3)})`,
  );
  for (const k of [...new Set([...Object.keys(e.byOutcome), ...Object.keys(e.colourByOutcome)])].sort()) {
    console.log(
      `  ${k.padEnd(20)} ${String(e.byOutcome[k] ?? 0).padStart(9)}  ${String(e.colourByOutcome[k] ?? 0).padStart(12)}`,
    );
  }
  console.log(
    `  colour photos not showing one clear face (no face, or a second face >= half the largest): ${e.notOneClearFace.length}` +
      e.notOneClearFace
        .map(
          (p) =>
            `\n    ${p.file}  ${p.reason}${p.secondFaceRatio === null ? "" : `  second face ${p.secondFaceRatio.toFixed(2)}x`}`,
        )
        .join(""),
  );
  const refused = Object.entries(e.oneClearFaceRefusedByReason)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  console.log(
    `  ACCEPTED: ${e.oneClearFaceAccepted} of ${e.oneClearFace} colour photos showing one clear face = ${pct(e.oneClearFaceAcceptRate)}` +
      ` (refused ${pct(1 - e.oneClearFaceAcceptRate)}: ${refused || "none"})`,
  );
  console.log(`  colour photos accepted, all ${e.colourPhotos}: ${pct(e.colourAcceptRate)}`);
  console.log(
    `  BPCER (ISO/IEC 30107-3; liveness refusals / ${e.bpcerDenominator} colour photos that passed the checks before liveness): ${pct(e.bpcer)}`,
  );
  console.log(
    `    liveness crop filled by the photo >= ${CONTEXT_SPLIT}x the face (${e.bpcerWithContextDenominator}): ${pct(e.bpcerWithContext)};  close-ups and face chips, < ${CONTEXT_SPLIT}x, padded (${e.bpcerCloseUpsDenominator}): ${pct(e.bpcerCloseUps)}`,
  );
  console.log(
    `  grey face crops accepted (the issue 11 attack, a photo of someone else; not what liveness stops): ${e.greyAccepted} of ${e.greyPhotos}`,
  );
  console.log(
    `  LIVENESS_MIN sweep:  thr  accepted(one clear face)  BPCER  >=${CONTEXT_SPLIT}x  <${CONTEXT_SPLIT}x  grey crops passing liveness`,
  );
  for (const r of e.livenessSweep)
    console.log(
      `                      ${r.threshold.toFixed(2)}  ${pct(r.oneClearFaceAcceptRate).padStart(22)}  ${pct(r.bpcer).padStart(5)}  ${pct(r.bpcerWithContext).padStart(6)}  ${pct(r.bpcerCloseUps).padStart(5)}  ${String(r.greyPassingLiveness).padStart(4)}`,
    );
  console.log(`  QUALITY_MIN_SHARPNESS sweep:  thr  accepted(one clear face)  refused as blur`);
  for (const r of e.sharpnessSweep)
    console.log(
      `                               ${String(r.threshold).padStart(3)}  ${pct(r.oneClearFaceAcceptRate).padStart(22)}  ${String(r.colourRefusedBlur).padStart(15)}`,
    );
  for (const b of e.blurredCopiesRefused)
    console.log(
      `  blurred copies (Gaussian sigma ${b.sigma} px on the face at the gate's scale) refused as blur: ${b.refused} of ${b.of} (highest sharpness ${b.max.toFixed(1)})`,
    );
  for (const [what, s] of [
    ["single-face colour photos", e.colourLivenessScores],
    [`of them with a crop filled >= ${CONTEXT_SPLIT}x`, e.colourLivenessScoresWithContext],
    [`of them close-ups, < ${CONTEXT_SPLIT}x (padded)`, e.colourLivenessScoresCloseUps],
    ["grey face crops", e.greyLivenessScores],
  ] as const) {
    console.log(
      `  liveness score on ${s.n} ${what}: min ${s.min.toFixed(3)}, 5th pct ${s.p05.toFixed(3)}, 10th pct ${s.p10.toFixed(3)}, median ${s.median.toFixed(3)}`,
    );
  }
  console.log(`  APCER: ${e.apcer}`);
  if (e.sweepInconsistentWithProduction.length)
    console.log(
      `  WARNING: the sweep's recomputed decision differs from the checks on ${e.sweepInconsistentWithProduction.join(", ")}`,
    );
  for (const p of e.perPhoto) {
    const extra = [
      p.sharpness === null ? "" : `sharpness ${p.sharpness.toFixed(0).padStart(5)}`,
      p.liveness === null ? "" : `liveness ${p.liveness.toFixed(3)}  crop filled ${p.room!.toFixed(2)}x`,
      p.secondRatio === null ? "" : `second face ${p.secondRatio.toFixed(2)}x`,
      p.blurredSharpness === null ? "" : `blurred sigma 2: ${p.blurredSharpness.at(-1)!.toFixed(1)}`,
    ]
      .filter(Boolean)
      .join("  ");
    console.log(`    ${p.colour ? "colour" : "grey  "} ${p.file.padEnd(48)} ${p.outcome.padEnd(16)} ${extra}`);
  }
}

function printWholeFrame(det: Awaited<ReturnType<typeof detection>>) {
  console.log(
    "  tiled detections >= 40 px: found by the whole frame alone (faces / not) | only in a tile (faces / not)",
  );
  for (const [k, v] of Object.entries(det.wholeFrame))
    console.log(
      `    ${k.padEnd(7)} ${String(v.wholeFace).padStart(4)} / ${String(v.wholeNot).padEnd(4)} | ${String(v.tileOnlyFace).padStart(4)} / ${v.tileOnlyNot}`,
    );
}

async function main() {
  const cfg = visionConfig();
  if (values["enrolment-only"]) {
    const e = (await enrolment(await createVision())).summary;
    printEnrolment(e);
    if (values.json) writeFileSync(values.json, JSON.stringify({ enrolment: e }, null, 2));
    return;
  }
  if (values["detection-only"]) {
    const det = await detection();
    const d = det.result;
    const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
    const ge20 = ["20to40", "40to80", "ge80"].reduce(
      (a, k) => ({ hit: a.hit + det.bins[k]!.hit, n: a.n + det.bins[k]!.n }),
      { hit: 0, n: 0 },
    );
    const masked = det.byLabel.with_mask ?? { hit: 0, n: 0 };
    console.log(
      `detector: tiles ${cfg.VISION_TILE_GRID}${cfg.VISION_TILE_GRID === "auto" ? ` (${cfg.VISION_TILE_ROWS} rows)` : ""} overlap ${cfg.VISION_TILE_OVERLAP}, score >= ${cfg.VISION_SCORE_THRESHOLD} whole frame / ${cfg.VISION_TILE_SCORE_THRESHOLD} tiles, NMS IoU ${cfg.VISION_NMS_IOU}`,
    );
    console.log(
      `detection (${d.images} images, ${d.faces} faces, ${det.msPerImage.toFixed(0)} ms per image): IoU>=0.3 recall ${pct(d.iou30.recall)} precision ${pct(d.iou30.precision)}; recall >=20 px ${pct(ratio(ge20.hit, ge20.n))}, with_mask ${pct(ratio(masked.hit, masked.n))}`,
    );
    console.log(JSON.stringify({ bins: det.bins, byLabel: det.byLabel, bySource: det.bySource }));
    printWholeFrame(det);
    if (values.json)
      writeFileSync(values.json, JSON.stringify({ detection: d, speed: { msPerImage: det.msPerImage } }, null, 2));
    return;
  }

  // Enrolment first: the photos the production checks accept are the open set's gallery.
  const vision = await createVision();
  const enrolled = await enrolment(vision);
  const enrol = enrolled.summary;
  const gallery: Matcher = vision.newMatcher();
  for (const t of enrolled.templates) gallery.add(t.file, t.embedding);
  // Open set on the production path: the detector's own boxes on detection/ (people who never
  // enrolled), through the quality gate, the embedding and the production match rule.
  const outcomes: ProbeOutcome[] = [];
  const det = await detection(async (img, dets) => {
    const faces = dets.map((b) => ({ box: { x: b.x, y: b.y, w: b.w, h: b.h }, score: b.score }));
    outcomes.push(...(await productionProbes(vision, gallery, img, faces)));
  });
  const production = scoreOpenSet(outcomes, cfg.MATCH_THRESHOLD);

  const vdir = path.join(facesDir, "verification");
  const pairs = JSON.parse(readFileSync(path.join(vdir, "pairs.json"), "utf8")) as [string, string, boolean][];
  const files = [...new Set(pairs.flatMap((p) => [p[0], p[1]]))].sort();
  const emb = new Map<string, Float32Array>();
  let fallbacks = 0;
  for (const f of files) {
    const e = await enrolEmbedding(path.join(vdir, f));
    emb.set(f, e.emb);
    if (e.fallback) fallbacks++;
  }
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (const [a, b, same] of pairs) (same ? genuine : impostor).push(cosine(emb.get(a)!, emb.get(b)!));
  const t = cfg.MATCH_THRESHOLD;
  const fmr = ratio(impostor.filter((s) => s >= t).length, impostor.length);
  const fnmr = ratio(genuine.filter((s) => s < t).length, genuine.length);
  // Lowest threshold whose false-match rate is at most 1e-3, and the genuine accept rate there.
  const sortedImp = [...impostor].sort((x, y) => y - x);
  const allowed = Math.floor(impostor.length * 1e-3);
  const t1e3 = (sortedImp[allowed] ?? -1) + 1e-6;
  const tarAtFmr1e3 = ratio(genuine.filter((s) => s >= t1e3).length, genuine.length);

  // Diagnostic beside it, against the same gallery: the ground-truth faces of detection/ of 40 px
  // and more, embedded from the ground-truth box (all of them, and those the quality gate passes).
  const ddir = path.join(facesDir, "detection");
  const scores: { all40: boolean; gated: boolean; best: number; second: number; size: number }[] = [];
  const decoded = new Map<string, Awaited<ReturnType<typeof decodeImage>>>();
  for (const p of det.probes) {
    if (Math.min(p.box.w, p.box.h) < 40) continue;
    if (!decoded.has(p.file)) decoded.set(p.file, await decodeImage(readFileSync(path.join(ddir, p.file))));
    const img = decoded.get(p.file)!;
    const five = await facePoints(img, p.box);
    const q = await qualityGate(img, p.box);
    const m = gallery.match(await embedAligned(img, five));
    scores.push({
      all40: true,
      gated: q.ok,
      best: m.best?.score ?? -1,
      second: m.second?.score ?? -1,
      size: Math.min(p.box.w, p.box.h),
    });
  }
  const matched = (s: (typeof scores)[number], thr: number) =>
    isMatch({ best: { id: "", score: s.best }, second: { id: "", score: s.second } }, thr, cfg.MATCH_MARGIN);
  const gated = scores.filter((s) => s.gated);
  const fpirAll40 = ratio(scores.filter((s) => matched(s, t)).length, scores.length);
  const fpir = ratio(gated.filter((s) => matched(s, t)).length, gated.length);

  const out = {
    detection: det.result,
    verification: {
      threshold: t,
      fmr,
      fnmr,
      tarAtFmr1e3,
      pairs: pairs.length,
      fpir,
      fpirAll40,
      gallerySize: gallery.size,
      fpirProbes: gated.length,
    },
    msPerImage: det.msPerImage,
    speed: { msPerImage: det.msPerImage },
    openSet: {
      gallery: { templates: gallery.size, from: "verification photos accepted by the production enrolment checks" },
      productionPath: {
        probes: production.probes,
        falseIdentifications: production.falseIdentifications,
        falseIdentificationRate: production.falseIdentificationRate,
        detections: production.detections,
        aboveThreshold: production.aboveThreshold,
        refusedByGate: production.refusedByGate,
        threshold: cfg.MATCH_THRESHOLD,
        margin: cfg.MATCH_MARGIN,
        sweep: [0.3, 0.35, 0.4, 0.45, 0.5].map((thr) => ({
          threshold: thr,
          falseIdentifications: outcomes.filter(
            (o) =>
              o.gated &&
              isMatch({ best: { id: "", score: o.best }, second: { id: "", score: o.second } }, thr, cfg.MATCH_MARGIN),
          ).length,
        })),
      },
      groundTruthBoxes: { probesGe40: scores.length, fpirGe40: fpirAll40, probesGated: gated.length, fpirGated: fpir },
    },
    enrolment: enrol,
  };

  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const d = det.result;
  console.log(`faces folder: ${facesDir}`);
  console.log(
    `detector: tiles ${cfg.VISION_TILE_GRID}${cfg.VISION_TILE_GRID === "auto" ? ` (${cfg.VISION_TILE_ROWS} rows)` : ""} overlap ${cfg.VISION_TILE_OVERLAP}, score >= ${cfg.VISION_SCORE_THRESHOLD} whole frame / ${cfg.VISION_TILE_SCORE_THRESHOLD} tiles, NMS IoU ${cfg.VISION_NMS_IOU}`,
  );
  console.log(`\ndetection (${d.images} images, ${d.faces} faces, ${det.msPerImage.toFixed(0)} ms per image)`);
  console.log(`  IoU>=0.5  recall ${pct(d.iou50.recall)}  precision ${pct(d.iou50.precision)}`);
  console.log(`  IoU>=0.3  recall ${pct(d.iou30.recall)}  precision ${pct(d.iou30.precision)}`);
  for (const [k, v] of Object.entries(det.bins))
    console.log(`  recall ${k.padEnd(7)} ${pct(ratio(v.hit, v.n))} (${v.hit}/${v.n})`);
  const ge20 = ["20to40", "40to80", "ge80"].reduce(
    (a, k) => ({ hit: a.hit + det.bins[k]!.hit, n: a.n + det.bins[k]!.n }),
    { hit: 0, n: 0 },
  );
  console.log(`  recall >=20 px ${pct(ratio(ge20.hit, ge20.n))} (${ge20.hit}/${ge20.n})`);
  for (const [k, v] of Object.entries(det.byLabel))
    console.log(`  recall label ${k.padEnd(22)} ${pct(ratio(v.hit, v.n))} (${v.hit}/${v.n})`);
  for (const [k, v] of Object.entries(det.bySource))
    console.log(`  recall source ${k.padEnd(21)} ${pct(ratio(v.hit, v.n))} (${v.hit}/${v.n})`);
  printWholeFrame(det);
  console.log(
    `\nverification (${pairs.length} pairs: ${genuine.length} genuine, ${impostor.length} impostor; ${fallbacks} of ${files.length} photos without a detection used the whole crop)`,
  );
  console.log(`  threshold ${t}: false-match rate ${pct(fmr)}, false-non-match rate ${pct(fnmr)}`);
  console.log(`  TAR at FMR 1e-3: ${pct(tarAtFmr1e3)} (threshold ${t1e3.toFixed(3)})`);
  const pp = out.openSet.productionPath;
  console.log(
    `\nopen set: gallery ${gallery.size} templates (the verification photos the production enrolment checks accepted; refused: ${JSON.stringify(enrol.refused)})`,
  );
  console.log(
    `  production path: ${pp.detections} detections on detection/ (people who never enrolled); ${pp.probes} pass the quality gate (refused ${JSON.stringify(pp.refusedByGate)})`,
  );
  console.log(
    `    false identifications (threshold ${pp.threshold}, margin ${pp.margin}): ${pp.falseIdentifications} of ${pp.probes} = ${pct(pp.falseIdentificationRate)}; best score >= threshold, margin or not: ${pp.aboveThreshold}`,
  );
  console.log(`    sweep: ${pp.sweep.map((r) => `${r.threshold.toFixed(2)}: ${r.falseIdentifications}`).join(", ")}`);
  console.log(`  diagnostic, ground-truth boxes instead of the detector's:`);
  console.log(`  all faces >= 40 px (${scores.length}): false identification ${pct(fpirAll40)}`);
  console.log(`  faces passing the quality gate (${gated.length}): false identification ${pct(fpir)}`);
  const big = scores.filter((x) => x.size >= 96);
  console.log(`  quality gate passes ${big.filter((x) => x.gated).length} of ${big.length} faces of 96 px and more`);
  console.log(`  threshold sweep (margin ${cfg.MATCH_MARGIN}):  thr  FPIR>=40px  FPIR gated  FNMR pairs`);
  for (const thr of [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6]) {
    console.log(
      `                                  ${thr.toFixed(2)}  ${pct(ratio(scores.filter((s) => matched(s, thr)).length, scores.length)).padStart(9)}  ${pct(ratio(gated.filter((s) => matched(s, thr)).length, gated.length)).padStart(10)}  ${pct(ratio(genuine.filter((s) => s < thr).length, genuine.length)).padStart(10)}`,
    );
  }
  printEnrolment(enrol);
  if (values.json) {
    writeFileSync(values.json, JSON.stringify(out, null, 2));
    console.log(`\nwrote ${values.json}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
