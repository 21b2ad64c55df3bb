import { describe, expect, it } from "vitest";
import { addWorkingDays, dueDate, maxExtendedDue } from "./due-date.ts";

const d = (s: string) => new Date(`${s}T10:00:00Z`);

describe("request due dates per jurisdiction", () => {
  it("GDPR: one calendar month, clamped to the month's end", () => {
    expect(dueDate("GDPR", d("2026-03-15"))).toEqual(d("2026-04-15"));
    expect(dueDate("GDPR", d("2026-01-31"))).toEqual(d("2026-02-28"));
    expect(maxExtendedDue("GDPR", d("2026-04-15"))).toEqual(d("2026-06-15"));
  });
  it("CCPA: 45 days, extendable by 45 more", () => {
    expect(dueDate("CCPA", d("2026-01-01"))).toEqual(d("2026-02-15"));
    expect(maxExtendedDue("CCPA", d("2026-02-15"))).toEqual(d("2026-04-01"));
  });
  it("elsewhere: 15 working days, weekends skipped", () => {
    // Friday 2026-11-20 + 15 working days = Friday 2026-12-11
    expect(dueDate("PIPL", d("2026-11-20"))).toEqual(d("2026-12-11"));
    expect(addWorkingDays(d("2026-11-21"), 1)).toEqual(d("2026-11-23")); // Saturday -> Monday
  });
  it("a store's own number of days replaces the default", () => {
    expect(dueDate("GDPR", d("2026-03-01"), 10)).toEqual(d("2026-03-11"));
  });
});
