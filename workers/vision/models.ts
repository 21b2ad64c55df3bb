import path from "node:path";
import * as ort from "onnxruntime-node";
import { visionConfig } from "../../lib/vision/config.ts";
import { loadManifest, modelsDir, verifyModels, type ModelName } from "../../lib/models/model-files.ts";

// One ONNX session per model per process, created on first use, after the files were verified.
export { loadManifest, modelsDir, verifyModels, type ModelName };

const sessions = new Map<ModelName, Promise<ort.InferenceSession>>();
let verified = false;

export function session(name: ModelName): Promise<ort.InferenceSession> {
  let s = sessions.get(name);
  if (!s) {
    if (!verified) {
      verifyModels();
      verified = true;
    }
    const threads = visionConfig().VISION_THREADS;
    const file = path.join(modelsDir(), loadManifest().models[name].file);
    s = ort.InferenceSession.create(file, { intraOpNumThreads: threads, interOpNumThreads: 1, logSeverityLevel: 3 });
    sessions.set(name, s);
  }
  return s;
}

export { ort };
