import { describe, expect, it } from "vitest";
import { admit } from "./drain-rate.ts";

const base = { budgetMs: 15_000, coldStartDepth: 20, oldestAgeMs: 0 };

describe("admission from the measured drain rate", () => {
  it("accepts what the workers clear within the budget and refuses the frame that would wait longer", () => {
    // 6 frames/s for 15 s: 90 frames ahead is the most a new frame can wait behind.
    expect(admit({ ...base, depth: 88, rate: 6 })).toEqual({ ok: true });
    const refused = admit({ ...base, depth: 120, rate: 6 });
    expect(refused).toMatchObject({ ok: false });
    expect(refused.ok === false && refused.retryAfter).toBe(6); // (121/6 - 15) s, rounded up
  });

  it("refuses when the oldest waiting frame has already waited the budget, whatever the rate says", () => {
    expect(admit({ ...base, depth: 3, rate: 100, oldestAgeMs: 16_000 })).toMatchObject({ ok: false });
  });

  it("with no measurement lets a few frames wait, then refuses", () => {
    expect(admit({ ...base, depth: 0, rate: 0 })).toEqual({ ok: true });
    expect(admit({ ...base, depth: 19, rate: 0 })).toEqual({ ok: true });
    expect(admit({ ...base, depth: 20, rate: 0 })).toMatchObject({ ok: false, retryAfter: 2 });
  });
});
