import { describe, expect, it } from "vitest";
import { isStatic, THUMB_HEIGHT, THUMB_WIDTH, type Thumbnail } from "./motion.ts";

const thumb = (fill: (x: number, y: number) => number): Thumbnail => {
  const data = new Uint8Array(THUMB_WIDTH * THUMB_HEIGHT);
  for (let y = 0; y < THUMB_HEIGHT; y++) for (let x = 0; x < THUMB_WIDTH; x++) data[y * THUMB_WIDTH + x] = fill(x, y);
  return { width: THUMB_WIDTH, height: THUMB_HEIGHT, data };
};

describe("motion gate", () => {
  const scene = thumb((x, y) => (x * 3 + y * 5) % 200);
  it("an unchanged frame with sensor noise is static", () => {
    expect(
      isStatic(
        scene,
        thumb((x, y) => ((x * 3 + y * 5) % 200) + ((x + y) % 3)),
      ),
    ).toBe(true);
  });
  it("a face-sized change in one corner is motion", () => {
    expect(
      isStatic(
        scene,
        thumb((x, y) => (x < 6 && y < 6 ? 255 : (x * 3 + y * 5) % 200)),
      ),
    ).toBe(false);
  });
  it("the first frame of a camera, or a resolution change, is never static", () => {
    expect(isStatic(null, scene)).toBe(false);
    expect(isStatic({ width: 32, height: 18, data: new Uint8Array(576) }, scene)).toBe(false);
  });
});
