import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { visionConfig } from "../vision/config.ts";

// The model files of models/manifest.json and their checksums. Kept apart from the ONNX sessions
// (workers/vision/models.ts) so that /api/health and the fetch script can verify the files without
// loading onnxruntime-node into their process.
// Inside the Next.js server bundle import.meta.dirname is not the source folder; every process
// (app, workers, scripts) runs from the project root, which is then the fallback.
const ROOT =
  import.meta.dirname && !import.meta.dirname.includes(".next")
    ? path.resolve(import.meta.dirname, "../..")
    : process.cwd();

export type ModelName = "detect" | "landmark" | "feature" | "liveness" | "age" | "gender" | "pose";
type ManifestEntry = {
  package: string;
  path: string;
  file: string;
  sha256: string;
  licence: string;
  what: string;
  input: string;
  output: string;
};
export type Manifest = { models: Record<ModelName, ManifestEntry> };

export function modelsDir(): string {
  return path.resolve(ROOT, visionConfig().MODELS_DIR);
}

export function loadManifest(): Manifest {
  return JSON.parse(readFileSync(path.join(ROOT, "models/manifest.json"), "utf8")) as Manifest;
}

export function sha256File(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

export type ModelProblem = { name: ModelName; file: string; problem: string };

/** Checks every model file against the manifest; by default throws naming each bad file. */
export function verifyModels(opts: { throwOnError?: boolean } = {}): { problems: ModelProblem[] } {
  const manifest = loadManifest();
  const problems: ModelProblem[] = [];
  for (const [name, m] of Object.entries(manifest.models) as [ModelName, ManifestEntry][]) {
    const file = path.join(modelsDir(), m.file);
    if (!existsSync(file)) problems.push({ name, file, problem: "missing" });
    else if (sha256File(file) !== m.sha256) problems.push({ name, file, problem: "checksum mismatch" });
  }
  if (problems.length && opts.throwOnError !== false) {
    throw new Error(
      `model files not usable: ${problems.map((p) => `${p.file} (${p.problem})`).join(", ")}. Run: npm run models:fetch`,
    );
  }
  return { problems };
}
