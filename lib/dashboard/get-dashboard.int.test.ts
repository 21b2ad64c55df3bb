import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { registerCamera } from "../cameras/register-camera.ts";
import { grantConsent } from "../consent/grant-consent.ts";
import { revokeConsent } from "../consent/revoke-consent.ts";
import { submitRequest } from "../requests/submit-request.ts";
import { isAppError } from "../errors/app-error.ts";
import { getDashboard } from "./get-dashboard.ts";
import { localDate } from "./dashboard-range.ts";

const SYSTEM = { id: null, role: "SYSTEM" };

async function storeIn(timezone: string) {
  const store = await makeStore();
  await db().store.update({ where: { id: store.id }, data: { timezone } });
  const cam = async (name: string) => (await registerCamera({ storeSlug: store.slug, name, actor: SYSTEM })).cameraId;
  return { store, door: await cam("Door"), hall: await cam("Hall") };
}

type Counters = Partial<
  Record<
    | "entries"
    | "faces"
    | "frames"
    | "maxOccupancy"
    | "notAnalysed"
    | "motionSkipped"
    | "dwellUnder1m"
    | "dwell5to15m"
    | "lineIn"
    | "lineOut"
    | "exits",
    number
  >
>;

function bucket(storeId: string, cameraId: string, size: "MINUTE" | "HOUR", at: string, c: Counters) {
  return db().footfallBucket.create({ data: { storeId, cameraId, size, bucketStart: new Date(at), ...c } });
}

describe("the dashboard query", () => {
  it("adds minute and hour buckets per local hour of the store's clock, and sums occupancy over cameras", async () => {
    // Shanghai is UTC+8 all year: 01:00 UTC is 09:00 there, 16:30 UTC already the next day.
    const { store, door, hall } = await storeIn("Asia/Shanghai");
    const other = await storeIn("Asia/Shanghai");
    await bucket(store.id, door, "HOUR", "2026-03-10T01:00:00Z", {
      entries: 5,
      exits: 4,
      faces: 40,
      frames: 100,
      maxOccupancy: 3,
      notAnalysed: 4,
      motionSkipped: 30,
      dwellUnder1m: 3,
      dwell5to15m: 1,
      lineIn: 2,
      lineOut: 1,
    });
    // A late minute of the same hour, not rolled up yet: counts add, the camera's peak is the larger.
    await bucket(store.id, door, "MINUTE", "2026-03-10T01:30:00Z", {
      entries: 2,
      faces: 6,
      frames: 10,
      maxOccupancy: 4,
    });
    // Another camera in that hour: the store's occupancy is the sum of each camera's peak.
    await bucket(store.id, hall, "MINUTE", "2026-03-10T01:05:00Z", { entries: 1, frames: 5, maxOccupancy: 2 });
    // 23:30 UTC on the 9th is 07:30 on the 10th in Shanghai; 15:59 UTC on the 9th is 23:59 on the 9th.
    await bucket(store.id, hall, "MINUTE", "2026-03-09T23:30:00Z", { entries: 3, frames: 5, maxOccupancy: 1 });
    await bucket(store.id, hall, "MINUTE", "2026-03-09T15:59:00Z", { entries: 50, frames: 5 });
    await bucket(store.id, hall, "MINUTE", "2026-03-10T16:30:00Z", { entries: 7, frames: 5, maxOccupancy: 5 });
    await bucket(other.store.id, other.door, "HOUR", "2026-03-10T01:00:00Z", {
      entries: 99,
      frames: 99,
      maxOccupancy: 9,
    });

    const d = (await getDashboard({ storeSlug: store.slug, from: "2026-03-10", to: "2026-03-10" }))!;
    expect(d.store).toMatchObject({ slug: store.slug, timezone: "Asia/Shanghai" });
    expect(d.hours).toHaveLength(24);
    expect(d.hours[9]).toEqual({ hour: 9, entries: 8, faces: 46, maxOccupancy: 6 });
    expect(d.hours[7]).toEqual({ hour: 7, entries: 3, faces: 0, maxOccupancy: 1 });
    expect(d.hours.reduce((s, h) => s + h.entries, 0)).toBe(11);
    expect(d.hours[0]!.entries).toBe(0);
    expect(d.dwell).toEqual([
      { bin: "dwellUnder1m", count: 3 },
      { bin: "dwell1to5m", count: 0 },
      { bin: "dwell5to15m", count: 1 },
      { bin: "dwell15to30m", count: 0 },
      { bin: "dwellOver30m", count: 0 },
    ]);
    expect(d.totals).toMatchObject({
      entries: 11,
      exits: 4,
      lineIn: 2,
      lineOut: 1,
      frames: 120,
      notAnalysed: 4,
      motionSkipped: 30,
      accepted: 124,
      notAnalysedShare: 4 / 124,
      motionSkippedShare: 30 / 120,
    });
    expect(d.days).toEqual([
      { date: "2026-03-10", entries: 11, grants: 0, revocations: 0, accessRequests: 0, erasureRequests: 0 },
    ]);

    // Two days: the next local day's 00:30 joins hour 0, the days split where the store's clock does.
    const two = (await getDashboard({ storeSlug: store.slug, from: "2026-03-10", to: "2026-03-11" }))!;
    expect(two.days.map((x) => [x.date, x.entries])).toEqual([
      ["2026-03-10", 11],
      ["2026-03-11", 7],
    ]);
    expect(two.hours[0]).toEqual({ hour: 0, entries: 7, faces: 0, maxOccupancy: 5 });

    // The same instants in UTC fall on other local hours and days.
    await db().store.update({ where: { id: store.id }, data: { timezone: "UTC" } });
    const utc = (await getDashboard({ storeSlug: store.slug, from: "2026-03-10", to: "2026-03-10" }))!;
    expect(utc.hours[1]).toEqual({ hour: 1, entries: 8, faces: 46, maxOccupancy: 6 });
    expect(utc.hours[16]!.entries).toBe(7);
    expect(utc.totals.entries).toBe(15);
  });

  it("defaults to today on the store's clock and counts consent and request events per local day", async () => {
    const { store } = await storeIn("Pacific/Kiritimati");
    const now = new Date();
    const shopper = await makeUser();
    await grantConsent({ userId: shopper.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
    await grantConsent({ userId: shopper.id, storeSlug: store.slug, purpose: "demographics", noticeVersion: 1 });
    await revokeConsent({ userId: shopper.id, storeSlug: store.slug, purpose: "demographics", noticeVersion: 1 });
    await submitRequest({ userId: shopper.id, storeSlug: store.slug, kind: "ACCESS" });
    const d = (await getDashboard({ storeSlug: store.slug, now }))!;
    // Kiritimati is UTC+14: its date is often not the UTC date.
    const today = localDate(now, "Pacific/Kiritimati");
    expect(d.range).toEqual({ from: today, to: today });
    expect(d.days).toEqual([
      { date: today, entries: 0, grants: 2, revocations: 1, accessRequests: 1, erasureRequests: 0 },
    ]);
    expect(d.consentRates).toEqual([
      { purpose: "demographics", granted: 0, total: 1 },
      { purpose: "recognition", granted: 1, total: 1 },
    ]);
  });

  it("refuses a malformed or inverted range and an unknown store", async () => {
    const { store } = await storeIn("Europe/Paris");
    for (const range of [
      { from: "2026-02-30" },
      { from: "yesterday" },
      { from: "2026-03-10", to: "2026-03-09" },
      { from: "2026-01-01", to: "2026-12-31" },
    ]) {
      const e = await getDashboard({ storeSlug: store.slug, ...range }).catch((x: unknown) => x);
      expect(isAppError(e, "invalid_input"), JSON.stringify(range)).toBe(true);
    }
    const e = await getDashboard({ storeSlug: "no-such-store" }).catch((x: unknown) => x);
    expect(isAppError(e, "unknown_store")).toBe(true);
  });
});
