// npm run bench:stored-frames [-- --faces <dir> --floor <blocks> --json <file>]
// How many ground-truth faces stay recognisable in a stored frame (goal: 0). Each photo of
// ../shared/faces goes through what a store with keepFrames stores: detection as in the frame job,
// then redactFaces (whole-frame floor + detected boxes). A face counts as recognisable when, in the
// stored copy, either
//   - the detector finds it again (IoU >= 0.3 with its ground-truth box), or
//   - it is identified: its embedding, taken at the landmarks of the ORIGINAL photo (an attacker
//     who knows exactly where the face is), is matched by Veil's own rule (threshold + margin)
//     to that same face among the clean embeddings of every face of the set.
// detection/: every annotated face (identification for those of 16 px and more, below which the
// clean embedding itself identifies nothing). verification/: the main face of each photo, matched
// against the other photos of all identities (the closest thing to a selfie-sized face).
// --floor 0 measures without the whole-frame floor (detected boxes only, as before issue 12).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  cosine,
  decodeImage,
  detectFaces,
  embedAligned,
  facePoints,
  Gallery,
  isMatch,
  redactFaces,
  visionConfig,
  type RgbImage,
} from "../workers/vision/index.ts";
import { iou } from "../workers/vision/boxes.ts";
import { FLOOR_BLOCKS } from "../workers/vision/redact.ts";

const { values } = parseArgs({
  options: {
    faces: { type: "string" },
    floor: { type: "string" },
    json: { type: "string" },
    limit: { type: "string" },
  },
});
const facesDir = path.resolve(
  values.faces ?? process.env.FACES_DIR ?? path.join(import.meta.dirname, "../../shared/faces"),
);
if (!existsSync(path.join(facesDir, "detection/boxes.json"))) {
  console.error(`faces folder not found: ${facesDir} (pass --faces <dir> or set FACES_DIR)`);
  process.exit(2);
}
const floorBlocks = values.floor !== undefined ? Number(values.floor) : FLOOR_BLOCKS;
const cfg = visionConfig();
type Box = { x: number; y: number; w: number; h: number };

async function stored(img: RgbImage): Promise<RgbImage> {
  const boxes = await detectFaces(img);
  return decodeImage(await redactFaces(img, boxes, { floorBlocks }));
}

const foundAgain = (found: Box[], g: Box) => found.some((d) => iou(d, g) >= 0.3);
const sizeBand = (px: number) => (px < 20 ? "<20" : px < 32 ? "20-31" : px < 64 ? "32-63" : ">=64");

// detection/
const truth = JSON.parse(readFileSync(path.join(facesDir, "detection/boxes.json"), "utf8")) as Record<
  string,
  [number, number, number, number][]
>;
const files = Object.keys(truth)
  .sort()
  .slice(0, values.limit ? Number(values.limit) : undefined);
type Probe = { id: string; clean: Float32Array; kept: Float32Array; band: string };
const probes: Probe[] = [];
const bands: Record<string, { faces: number; detected: number; identified: number; recognisable: number }> = {};
const perFace: { id: string; band: string; detected: boolean }[] = [];
let t0 = Date.now();
for (const [fi, file] of files.entries()) {
  const img = await decodeImage(readFileSync(path.join(facesDir, "detection", file)));
  const kept = await stored(img);
  const again = await detectFaces(kept);
  for (const [gi, [x, y, w, h]] of truth[file]!.entries()) {
    const g = { x, y, w, h };
    const id = `${file}#${gi}`;
    const band = sizeBand(Math.min(w, h));
    perFace.push({ id, band, detected: foundAgain(again, g) });
    if (Math.min(w, h) >= 16) {
      const points = await facePoints(img, g);
      probes.push({ id, band, clean: await embedAligned(img, points), kept: await embedAligned(kept, points) });
    }
  }
  if ((fi + 1) % 50 === 0)
    console.error(`detection: ${fi + 1}/${files.length} images (${Math.round((Date.now() - t0) / 1000)} s)`);
}
const gallery = new Gallery();
for (const p of probes) gallery.add(p.id, p.clean);
const identified = new Set(
  probes
    .filter((p) => {
      const r = gallery.match(p.kept);
      return isMatch(r, cfg.MATCH_THRESHOLD, cfg.MATCH_MARGIN) && r.best?.id === p.id;
    })
    .map((p) => p.id),
);
for (const f of perFace) {
  const b = (bands[f.band] ??= { faces: 0, detected: 0, identified: 0, recognisable: 0 });
  b.faces++;
  if (f.detected) b.detected++;
  if (identified.has(f.id)) b.identified++;
  if (f.detected || identified.has(f.id)) b.recognisable++;
}

// verification/: main (largest detected) face of each photo
t0 = Date.now();
const verDir = path.join(facesDir, "verification");
const people = readdirSync(verDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
type VerProbe = { person: string; file: string; clean: Float32Array; kept: Float32Array; detected: boolean };
const ver: VerProbe[] = [];
let noFace = 0;
for (const person of people) {
  for (const file of readdirSync(path.join(verDir, person))
    .filter((f) => /\.(jpe?g|png)$/i.test(f))
    .sort()) {
    const img = await decodeImage(readFileSync(path.join(verDir, person, file)));
    const faces = await detectFaces(img);
    const main = faces.sort((a, b) => b.w * b.h - a.w * a.h)[0];
    if (!main) {
      noFace++;
      continue;
    }
    const keptImg = await decodeImage(await redactFaces(img, faces, { floorBlocks }));
    const points = await facePoints(img, main);
    ver.push({
      person,
      file,
      clean: await embedAligned(img, points),
      kept: await embedAligned(keptImg, points),
      detected: foundAgain(await detectFaces(keptImg), main),
    });
  }
}
let verIdentified = 0,
  verDetected = 0,
  verRecognisable = 0,
  verCleanIdentified = 0;
for (const p of ver) {
  // Against every other photo, best score per person (a person's several photos are one identity,
  // so the margin is to the next person); the photo itself is left out.
  const hit = (e: Float32Array) => {
    const best = new Map<string, number>();
    for (const q of ver) if (q !== p) best.set(q.person, Math.max(best.get(q.person) ?? -1, cosine(e, q.clean)));
    const [first, second] = [...best.entries()].sort((a, b) => b[1] - a[1]);
    const r = {
      best: first && { id: first[0], score: first[1] },
      second: second && { id: second[0], score: second[1] },
    };
    return isMatch(r, cfg.MATCH_THRESHOLD, cfg.MATCH_MARGIN) && r.best?.id === p.person;
  };
  const id = hit(p.kept);
  if (hit(p.clean)) verCleanIdentified++;
  if (id) verIdentified++;
  if (p.detected) verDetected++;
  if (id || p.detected) verRecognisable++;
}

const total = Object.values(bands).reduce(
  (a, b) => ({
    faces: a.faces + b.faces,
    detected: a.detected + b.detected,
    identified: a.identified + b.identified,
    recognisable: a.recognisable + b.recognisable,
  }),
  { faces: 0, detected: 0, identified: 0, recognisable: 0 },
);
const cleanIdentified = probes.filter((p) => {
  const r = gallery.match(p.clean);
  return r.best?.id === p.id;
}).length;
const result = {
  floorBlocks,
  detection: {
    images: files.length,
    ...total,
    embeddedFaces: probes.length,
    cleanSelfIdentified: cleanIdentified,
    bySize: bands,
  },
  verification: {
    photos: ver.length,
    noFaceInOriginal: noFace,
    detected: verDetected,
    identified: verIdentified,
    recognisable: verRecognisable,
    cleanIdentified: verCleanIdentified,
  },
  recognisable: total.recognisable + verRecognisable,
};
console.log(
  `stored frames, whole-frame floor ${floorBlocks ? `${floorBlocks} blocks on the longer side` : "off"} (MATCH_THRESHOLD ${cfg.MATCH_THRESHOLD}, margin ${cfg.MATCH_MARGIN})`,
);
console.log(
  `detection/: ${total.faces} ground-truth faces in ${files.length} images: ${total.detected} detected again, ${total.identified} identified, ${total.recognisable} recognisable`,
);
for (const [band, b] of Object.entries(bands).sort())
  console.log(
    `  ${band.padEnd(6)} px: ${String(b.faces).padStart(5)} faces, ${b.detected} detected, ${b.identified} identified`,
  );
console.log(
  `verification/: ${ver.length} main faces (${verCleanIdentified} identified from the clean photo): ${verDetected} detected again, ${verIdentified} identified, ${verRecognisable} recognisable`,
);
console.log(`recognisable in a stored frame: ${result.recognisable}`);
const out = values.json ?? path.join(import.meta.dirname, "../bench-results/stored-frames.json");
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2));
