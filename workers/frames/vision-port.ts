import type { Matcher } from "./gallery-cache.ts";

// What the frame and enrolment jobs need from the vision pipeline. The real implementation is
// workers/vision (ONNX); unit tests may pass a fake. Decoded images and embeddings stay in memory.
export type Box = { x: number; y: number; w: number; h: number };
export type DetectedFace = { box: Box; score: number };

export interface VisionPort<Img = unknown, Face extends DetectedFace = DetectedFace> {
  readonly modelVersion: string;
  decode(jpeg: Buffer): Promise<Img>; // throws on corrupt or oversized input
  // wholeFrameConfirmed: only the faces the detector also finds on the whole frame, without the
  // tiles that find small faces in crowd frames (enrolment, where the faces that matter are large;
  // README "Enrolment and liveness").
  detect(img: Img, opts?: { wholeFrameConfirmed?: boolean }): Promise<Face[]>;
  quality(img: Img, face: Face): Promise<{ ok: boolean; reason?: string }>;
  embed(img: Img, face: Face): Promise<Float32Array>;
  liveness(img: Img, face: Face): Promise<number>;
  ageGender(img: Img, face: Face): Promise<{ ageBand: string; gender: string }>;
  redact(img: Img, faces: Face[]): Promise<Buffer>;
  newMatcher(): Matcher;
  isMatch(result: ReturnType<Matcher["match"]>): boolean;
}
