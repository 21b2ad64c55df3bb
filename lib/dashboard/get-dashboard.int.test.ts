import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { getDashboard } from "./get-dashboard.ts";

const DAY = 86_400_000;

describe("dashboard", () => {
  it("counts recognised visits as stays, not sightings, over the last 14 days", async () => {
    const store = await makeStore();
    const [a, b] = [await makeUser(), await makeUser()];
    const now = new Date("2026-11-20T15:00:00Z");
    const stay = (userId: string, at: number, sightings: number) => ({
      userId,
      storeId: store.id,
      firstSeenAt: new Date(at),
      lastSeenAt: new Date(at + 20 * 60_000),
      cameraIds: ["door"],
      sightings,
      score: 0.9,
    });
    await db().visit.createMany({
      data: [
        stay(a.id, now.getTime() - 3 * 3_600_000, 240), // a long stay: one visit
        stay(b.id, now.getTime() - 2 * 3_600_000, 3),
        stay(a.id, now.getTime() - DAY, 12),
        stay(a.id, now.getTime() - 15 * DAY, 5), // older than the window
      ],
    });
    const d = await getDashboard(now);
    expect(d.visits.filter((r) => r.store === store.name)).toEqual([
      { store: store.name, at: new Date("2026-11-19T00:00:00Z"), visits: 1 },
      { store: store.name, at: new Date("2026-11-20T00:00:00Z"), visits: 2 },
    ]);
  });
});
