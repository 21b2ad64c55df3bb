import { cropToTensor, type Rect, type RgbImage } from "./image.ts";
import { ort, session } from "./models.ts";

export type Pose = { yaw: number; pitch: number; roll: number };

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

function expectedAngle(logits: Float32Array): number {
  // 66 bins of 3 degrees from -99: the softmax-weighted bin, as the model was trained (HopeNet).
  const m = Math.max(...logits);
  let sum = 0,
    acc = 0;
  for (let i = 0; i < logits.length; i++) {
    const e = Math.exp(logits[i]! - m);
    sum += e;
    acc += e * i;
  }
  return (acc / sum) * 3 - 99;
}

/** Head pose in degrees from the pose model, on the face box grown by a quarter on each side. */
export async function headPose(img: RgbImage, box: Rect): Promise<Pose> {
  const crop = { x: box.x - box.w / 4, y: box.y - box.h / 4, w: box.w * 1.5, h: box.h * 1.5 };
  const input = cropToTensor(img, crop, 224, 224, (v, c) => (v / 255 - MEAN[c]!) / STD[c]!);
  const s = await session("pose");
  const out = await s.run({ input: new ort.Tensor("float32", input, [1, 3, 224, 224]) });
  const [yaw, pitch, roll] = s.outputNames.map((n) => expectedAngle(out[n]!.data as Float32Array));
  return { yaw: yaw!, pitch: pitch!, roll: roll! };
}
