import { describe, expect, it } from "vitest";
import { planSequence } from "./sequence-plan.ts";

const at = (seq: number, publishedAt = 1000) => ({ seq, publishedAt });

describe("applying one camera's frames in order", () => {
  it("applies the contiguous run after the cursor and stops at the first gap", () => {
    expect(planSequence(4, [at(7), at(5), at(6), at(9)], 1500, 2500)).toEqual({
      take: [5, 6, 7],
      skipped: [],
      stale: [],
      cursor: 7,
    });
  });

  it("waits for a missing frame within the reorder window, whatever order results arrived in", () => {
    expect(planSequence(4, [at(6), at(7)], 1000 + 2500, 2500)).toEqual({ take: [], skipped: [], stale: [], cursor: 4 });
  });

  it("skips a gap as late once the result behind it waited longer than the window", () => {
    expect(planSequence(4, [at(7, 900), at(8, 2000)], 900 + 2501, 2500)).toEqual({
      take: [7, 8],
      skipped: [5, 6],
      stale: [],
      cursor: 8,
    });
  });

  it("a second gap has its own window", () => {
    expect(planSequence(0, [at(2, 0), at(4, 3000)], 3000, 2500)).toEqual({
      take: [2],
      skipped: [1],
      stale: [],
      cursor: 2,
    });
  });

  it("a result that arrives after its turn was skipped is dropped, not applied", () => {
    expect(planSequence(8, [at(6), at(9)], 1000, 2500)).toEqual({ take: [9], skipped: [], stale: [6], cursor: 9 });
  });

  it("gives the same plan whatever order the ready list is in", () => {
    const ready = [at(3), at(1), at(2), at(5, 0)];
    const a = planSequence(0, ready, 4000, 2500);
    expect(planSequence(0, [...ready].reverse(), 4000, 2500)).toEqual(a);
    expect(a).toEqual({ take: [1, 2, 3, 5], skipped: [4], stale: [], cursor: 5 });
  });
});
