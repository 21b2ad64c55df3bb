import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { JpegSplitter } from "./jpeg-splitter.ts";

const jpeg = (r: number) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: { r, g: 40, b: 90 } } })
    .jpeg()
    .toBuffer();

describe("JpegSplitter", () => {
  it("returns each image of a concatenated stream whole, however the chunks fall", async () => {
    const images = await Promise.all([10, 120, 250].map(jpeg));
    const stream = Buffer.concat(images);
    for (const size of [1, 2, 7, 100, stream.length]) {
      const s = new JpegSplitter();
      const got: Buffer[] = [];
      for (let i = 0; i < stream.length; i += size) got.push(...s.push(stream.subarray(i, i + size)));
      expect(got.map((b) => b.toString("hex"))).toEqual(images.map((b) => b.toString("hex")));
      expect(s.pending).toBe(0);
    }
  });

  it("skips bytes before the first image and holds an unfinished one", async () => {
    const img = await jpeg(60);
    const s = new JpegSplitter();
    expect(s.push(Buffer.from([1, 2, 3]))).toEqual([]);
    expect(s.push(img.subarray(0, 20))).toEqual([]);
    expect(s.pending).toBe(20);
    expect(s.push(img.subarray(20))).toEqual([img]);
  });
});
