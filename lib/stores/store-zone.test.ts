import { describe, expect, it } from "vitest";
import { endOfStoreDay, storeZone } from "./store-zone.ts";

describe("store zone", () => {
  it("reads an unknown zone as UTC", () => {
    expect(storeZone("Mars/Olympus")).toBe("UTC");
    expect(storeZone("Europe/Paris")).toBe("Europe/Paris");
  });

  it("ends a picked day at 23:59:59 on the store's clock, not in UTC", () => {
    expect(endOfStoreDay("2027-01-20", "Europe/Paris").toISOString()).toBe("2027-01-20T22:59:59.000Z");
    expect(endOfStoreDay("2027-07-20", "Europe/Paris").toISOString()).toBe("2027-07-20T21:59:59.000Z");
    expect(endOfStoreDay("2027-01-20", "Asia/Shanghai").toISOString()).toBe("2027-01-20T15:59:59.000Z");
    expect(endOfStoreDay("2027-01-20", "America/Los_Angeles").toISOString()).toBe("2027-01-21T07:59:59.000Z");
    expect(endOfStoreDay("2027-01-20", "UTC").toISOString()).toBe("2027-01-20T23:59:59.000Z");
    expect(endOfStoreDay("2027-01-20", "Mars/Olympus").toISOString()).toBe("2027-01-20T23:59:59.000Z");
  });

  it("on the days the clocks change", () => {
    // Paris: summer time starts 28 Mar 2027 and ends 31 Oct 2027.
    expect(endOfStoreDay("2027-03-28", "Europe/Paris").toISOString()).toBe("2027-03-28T21:59:59.000Z");
    expect(endOfStoreDay("2027-10-31", "Europe/Paris").toISOString()).toBe("2027-10-31T22:59:59.000Z");
  });
});
