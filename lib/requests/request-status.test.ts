import { describe, expect, it } from "vitest";
import { RequestStatus } from "../generated/prisma/enums.ts";
import {
  APPROVABLE_STATUSES,
  CANCELLABLE_STATUSES,
  FINISHED_STATUSES,
  OPEN_STATUSES,
  isOpen,
} from "./request-status.ts";

describe("request lifecycle sets", () => {
  it("put every status of the schema either open or finished, never both", () => {
    for (const s of Object.values(RequestStatus))
      expect([isOpen(s), (FINISHED_STATUSES as readonly string[]).includes(s)]).toContain(true);
    expect(OPEN_STATUSES.filter((s) => (FINISHED_STATUSES as readonly string[]).includes(s))).toEqual([]);
    expect(new Set([...OPEN_STATUSES, ...FINISHED_STATUSES]).size).toBe(Object.values(RequestStatus).length);
  });
  it("count FAILED as open and approvable (a retry), never cancellable by the shopper", () => {
    expect(isOpen("FAILED")).toBe(true);
    expect(APPROVABLE_STATUSES).toContain("FAILED");
    expect(CANCELLABLE_STATUSES).not.toContain("FAILED");
  });
  it("only lets a shopper cancel what is open", () => {
    for (const s of CANCELLABLE_STATUSES) expect(isOpen(s)).toBe(true);
    for (const s of APPROVABLE_STATUSES) expect(isOpen(s)).toBe(true);
  });
});
