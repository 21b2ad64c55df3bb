// The peer a Node.js developer would otherwise pick: @vladmandic/face-api (its models ship inside
// the npm package) on TensorFlow.js's WASM backend, which installs without downloading binaries.
import path from "node:path";
import { createRequire } from "node:module";
import type { RgbImage } from "../../workers/vision/image.ts";

const require = createRequire(import.meta.url);

// The peer at its best-recall setting (issue 15): minConfidence 0.3, not the package's 0.5, so the
// benchmark sets Veil's speed beside the peer finding as many faces as it usefully can
// (`npm run bench:vision -- --peer-confidence <c>` tries another).
export const PEER_MIN_CONFIDENCE = 0.3;

export async function createPeer(minConfidence = PEER_MIN_CONFIDENCE): Promise<{
  detect(img: RgbImage): Promise<{ x: number; y: number; w: number; h: number }[]>;
  name: string;
  minConfidence: number;
}> {
  const tf = require("@tensorflow/tfjs");
  const wasm = require("@tensorflow/tfjs-backend-wasm");
  wasm.setWasmPaths(path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm")), "/"));
  await tf.setBackend("wasm");
  await tf.ready();
  const faceapi = require("@vladmandic/face-api/dist/face-api.node-wasm.js");
  const models = path.join(path.dirname(require.resolve("@vladmandic/face-api/package.json")), "model");
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(models);
  const options = new faceapi.SsdMobilenetv1Options({ minConfidence, maxResults: 200 });
  return {
    name: "@vladmandic/face-api 1.7.15 (SSD MobileNet v1, tfjs-wasm)",
    minConfidence,
    async detect(img) {
      const t = tf.tensor3d(img.data, [img.height, img.width, 3], "int32");
      try {
        const dets = await faceapi.detectAllFaces(t, options);
        return dets.map((d: { box: { x: number; y: number; width: number; height: number } }) => ({
          x: d.box.x,
          y: d.box.y,
          w: d.box.width,
          h: d.box.height,
        }));
      } finally {
        t.dispose();
      }
    },
  };
}
