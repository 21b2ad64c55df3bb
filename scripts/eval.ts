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
  Gallery,
  isMatch,
  visionConfig,
  cosine,
  type Rect,
} from "../workers/vision/index.ts";
import { containment } from "../workers/vision/boxes.ts";
import { matchDetections } from "../workers/vision/match-detections.ts";

type Boxes = Record<string, [number, number, number, number][]>;
type Meta = Record<string, { faces?: { box?: number[]; label?: string }[] }>;

const { values } = parseArgs({
  options: {
    faces: { type: "string" },
    json: { type: "string" },
    sweep: { type: "boolean" },
    every: { type: "string" },
    "detection-only": { type: "boolean" },
  },
});
// --every N scores every Nth detection image only (for exploring settings on a loaded machine);
// --detection-only skips verification and the open set. Reported numbers use the whole set.
const every = Math.max(1, Number(values.every ?? 1) || 1);
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

async function detection() {
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
  let faces = 0;
  let ms = 0;
  const probes: { file: string; box: Rect }[] = [];
  for (const [file, raw] of Object.entries(gt).filter((_, i) => i % every === 0)) {
    const ignored = (ignore[file] ?? []).map(toRect);
    const labels = (meta[file]?.faces ?? []).map((f) => f.label ?? "unlabelled");
    const source = file.includes("_") ? file.slice(0, file.indexOf("_")) : "other";
    const truthAll = raw.map((b, i) => ({ box: toRect(b), label: labels[i] ?? "unlabelled" }));
    const kept = truthAll.filter((g) => !ignored.some((i) => containment(i, g.box) > 0.5));
    const truth = kept.map((g) => g.box);
    const bytes = readFileSync(path.join(dir, file));
    const t0 = performance.now();
    const img = await decodeImage(bytes);
    const dets = (await detectFaces(img)).filter((d) => !ignored.some((i) => containment(i, d) > 0.5));
    ms += performance.now() - t0;
    faces += truth.length;
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
  const images = Math.ceil(Object.keys(gt).length / every);
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
    },
    bins,
    byLabel,
    bySource,
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

async function main() {
  const cfg = visionConfig();
  const det = await detection();
  if (values["detection-only"]) {
    const d = det.result;
    const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
    console.log(
      `detection (${d.images} images, ${d.faces} faces, ${det.msPerImage.toFixed(0)} ms per image): IoU>=0.3 recall ${pct(d.iou30.recall)} precision ${pct(d.iou30.precision)}`,
    );
    console.log(JSON.stringify({ bins: det.bins, byLabel: det.byLabel, bySource: det.bySource }));
    if (values.json)
      writeFileSync(values.json, JSON.stringify({ detection: d, speed: { msPerImage: det.msPerImage } }, null, 2));
    return;
  }

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

  // Open set: gallery = every verification image; probes = every ground-truth face of detection/,
  // people who never enrolled. Any match is a false identification.
  const gallery = new Gallery();
  for (const [f, e] of emb) gallery.add(f, e);
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
  };

  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  const d = det.result;
  console.log(`faces folder: ${facesDir}`);
  console.log(
    `detector: tiles ${cfg.VISION_TILE_GRID} overlap ${cfg.VISION_TILE_OVERLAP}, score >= ${cfg.VISION_SCORE_THRESHOLD}, NMS IoU ${cfg.VISION_NMS_IOU}`,
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
  console.log(
    `\nverification (${pairs.length} pairs: ${genuine.length} genuine, ${impostor.length} impostor; ${fallbacks} of ${files.length} photos without a detection used the whole crop)`,
  );
  console.log(`  threshold ${t}: false-match rate ${pct(fmr)}, false-non-match rate ${pct(fnmr)}`);
  console.log(`  TAR at FMR 1e-3: ${pct(tarAtFmr1e3)} (threshold ${t1e3.toFixed(3)})`);
  console.log(`\nopen set: gallery ${gallery.size} templates; probes = faces of people who never enrolled`);
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
  if (values.json) {
    writeFileSync(values.json, JSON.stringify(out, null, 2));
    console.log(`\nwrote ${values.json}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
