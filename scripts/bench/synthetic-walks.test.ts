import { describe, expect, it } from "vitest";
import { buildPlan, FRAME, positionAt, truthAt } from "./synthetic-walks.ts";

describe("synthetic walks", () => {
  const plan = buildPlan({ sprites: 20, shopperSprite: 3 });

  it("gives every appearance its own id and counts a re-entry as a second entry", () => {
    expect(new Set(plan.people.map((p) => p.id)).size).toBe(plan.people.length);
    expect(plan.truth.entries).toBe(plan.people.length);
    const reEntry = plan.people.filter((p, i) => plan.people.findIndex((q) => q.sprite === p.sprite) !== i);
    expect(reEntry.length).toBeGreaterThanOrEqual(1);
  });

  it("keeps the shopper's face for the shopper alone and makes them stand the whole minute", () => {
    const shopper = plan.people.filter((p) => p.sprite === 3);
    expect(shopper).toHaveLength(1);
    expect(shopper[0]!.shopper).toBe(true);
    const p = shopper[0]!;
    expect(p.path[p.path.length - 1]!.t - p.path[0]!.t).toBe(60_000);
  });

  it("counts line crossings from the paths: both directions, and the one who stopped on the line once", () => {
    expect(plan.truth.lineIn + plan.truth.lineOut).toBe(plan.people.filter((p) => !p.shopper).length);
    expect(plan.truth.lineIn).toBeGreaterThan(0);
    expect(plan.truth.lineOut).toBeGreaterThan(0);
  });

  it("interpolates positions and leaves people out of view outside their paths or the frame", () => {
    const p = plan.people[0]!;
    const mid = (p.path[0]!.t + p.path[1]!.t) / 2;
    expect(positionAt(p, mid)!.x).toBeCloseTo((p.path[0]!.x + p.path[1]!.x) / 2);
    expect(positionAt(p, p.path[0]!.t - 1)).toBeNull();
    for (let t = 0; t < plan.durationMs; t += 500)
      for (const { box } of truthAt(plan, t)) {
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.w).toBeLessThanOrEqual(FRAME.width);
      }
  });

  it("is the same plan every time", () => {
    expect(buildPlan({ sprites: 20, shopperSprite: 3 })).toEqual(plan);
  });
});
