import { describe, expect, it } from "vitest";
import { storeClock } from "./store-clock.ts";

describe("storeClock", () => {
  const at = new Date("2026-12-03T00:25:00Z");

  it("shows one event at the same, named store time whatever zone the reader is in", () => {
    // The shopper's and the staff member's pages both format with the store's zone.
    const paris = storeClock("en-GB", "Europe/Paris");
    expect(paris.dateTime(at)).toBe("3 Dec 2026, 01:25 CET");
    expect(paris.date(at)).toBe("3 Dec 2026");
    expect(storeClock("en-GB", "America/New_York").dateTime(at)).toBe("2 Dec 2026, 19:25 GMT-5");
  });

  it("shows a stay as one range, its day written once", () => {
    const paris = storeClock("en-GB", "Europe/Paris");
    expect(paris.range(at, new Date("2026-12-03T00:40:00Z"))).toBe("3 Dec 2026, 01:25–01:40 CET");
    expect(paris.range(at, at)).toBe("3 Dec 2026, 01:25 CET");
  });

  it("falls back to UTC, named, for a zone the runtime does not know", () => {
    const c = storeClock("en-GB", "Mars/Olympus");
    expect(c.zone).toBe("UTC");
    expect(c.dateTime(at)).toBe("3 Dec 2026, 00:25 UTC");
  });
});
