// The vision pipeline on real faces from ../shared/faces with the real models.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import {
  decodeImage,
  detectFaces,
  embedAligned,
  facePoints,
  cosine,
  InvalidImageError,
  qualityGate,
  visionConfig,
} from "./index.ts";
import { loadManifest, modelsDir, verifyModels } from "./models.ts";
import { overrideVisionConfig } from "../../lib/vision/config.ts";
import { facesDir } from "../../tests/faces.ts";

const faces = facesDir();

async function embedFile(file: string) {
  const img = await decodeImage(readFileSync(file));
  const box = (await detectFaces(img))[0]!;
  return embedAligned(img, await facePoints(img, box));
}

describe("vision pipeline on real faces", () => {
  it("finds the faces in group photos and none in face-free images", async () => {
    const gt = JSON.parse(readFileSync(path.join(faces, "detection/boxes.json"), "utf8")) as Record<string, number[][]>;
    for (const f of ["dlib_2008_001009.jpg", "dlib_2007_007763.jpg"]) {
      const found = await detectFaces(await decodeImage(readFileSync(path.join(faces, "detection", f))));
      expect(found.length, f).toBeGreaterThanOrEqual(Math.ceil(gt[f]!.length * 0.8));
    }
    for (const f of Object.keys(gt).filter((n) => n.startsWith("neg_"))) {
      expect(await detectFaces(await decodeImage(readFileSync(path.join(faces, "detection", f)))), f).toEqual([]);
    }
  });

  it("scores the same person above the threshold and different people below it", async () => {
    const v = path.join(faces, "verification");
    const [a1, a2, b1] = await Promise.all([
      embedFile(path.join(v, "faceapi_leonard/leonard1.png")),
      embedFile(path.join(v, "faceapi_leonard/leonard2.png")),
      embedFile(path.join(v, "faceapi_penny/penny1.png")),
    ]);
    const t = visionConfig().MATCH_THRESHOLD;
    expect(cosine(a1, a2)).toBeGreaterThan(t);
    expect(cosine(a1, b1)).toBeLessThan(t);
    expect(Math.hypot(...a1)).toBeCloseTo(1, 5);
  });

  it("the quality gate measures head pose with the pose model and passes a frontal, sharp face", async () => {
    const img = await decodeImage(readFileSync(path.join(faces, "detection", "dlib_2008_001009.jpg")));
    const boxes = await detectFaces(img);
    const frontal = boxes.sort((a, b) => b.w - a.w).find((b) => b.w > 60)!;
    const q = await qualityGate(img, frontal);
    expect(Math.abs(q.yaw)).toBeLessThan(35);
    expect(q.ok).toBe(true);
    const tiny = await qualityGate(img, { x: 0, y: 0, w: 20, h: 20 });
    expect(tiny).toMatchObject({ ok: false, reason: "small" });
  });

  it("refuses truncated JPEGs, non-images and images over the pixel limit with a typed error", async () => {
    const jpg = readFileSync(path.join(faces, "detection", "dlib_2008_001009.jpg"));
    await expect(decodeImage(jpg.subarray(0, jpg.length / 3))).rejects.toBeInstanceOf(InvalidImageError);
    await expect(decodeImage(Buffer.from("%PDF-1.4 not an image at all"))).rejects.toBeInstanceOf(InvalidImageError);
    const huge = await sharp({ create: { width: 5000, height: 4000, channels: 3, background: "#888" } })
      .jpeg()
      .toBuffer();
    await expect(decodeImage(huge)).rejects.toThrow(/pixel|limit|not a readable image/i);
    await expect(decodeImage(huge)).rejects.toBeInstanceOf(InvalidImageError);
  });

  it("refuses a model file whose checksum does not match the manifest", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "veil-models-"));
    const m = loadManifest();
    for (const entry of Object.values(m.models))
      copyFileSync(path.join(modelsDir(), entry.file), path.join(dir, entry.file));
    writeFileSync(path.join(dir, m.models.feature.file), Buffer.from("tampered"));
    const before = visionConfig().MODELS_DIR;
    overrideVisionConfig({ MODELS_DIR: dir });
    try {
      expect(() => verifyModels()).toThrow(/fr_feature\.onnx \(checksum mismatch\).*npm run models:fetch/);
    } finally {
      overrideVisionConfig({ MODELS_DIR: before });
    }
  });
});
