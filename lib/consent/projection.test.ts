import { describe, expect, it } from "vitest";
import { effectiveStatus, isInForce, project } from "./projection.ts";

describe("consent projection", () => {
  it("a grant is in force against the notice it was given for", () => {
    const s = project([{ action: "GRANT", noticeVersion: 1 }]);
    expect(s).toEqual({ status: "GRANTED", noticeVersion: 1 });
    expect(isInForce(s, 1)).toBe(true);
    expect(effectiveStatus(s, 1)).toBe("granted");
  });

  it("the latest event wins: grant then revoke is revoked", () => {
    const s = project([
      { action: "GRANT", noticeVersion: 1 },
      { action: "REVOKE", noticeVersion: 1 },
    ]);
    expect(isInForce(s, 1)).toBe(false);
    expect(effectiveStatus(s, 1)).toBe("revoked");
  });

  it("a material notice change makes an older grant lapse until granted again", () => {
    const old = project([{ action: "GRANT", noticeVersion: 1 }]);
    expect(isInForce(old, 2)).toBe(false);
    expect(effectiveStatus(old, 2)).toBe("lapsed");
    const renewed = project([
      { action: "GRANT", noticeVersion: 1 },
      { action: "GRANT", noticeVersion: 2 },
    ]);
    expect(effectiveStatus(renewed, 2)).toBe("granted");
  });

  it("a non-material newer notice does not make the grant lapse", () => {
    // material version stays 2 while version 3 (editorial) is current
    const s = project([{ action: "GRANT", noticeVersion: 2 }]);
    expect(isInForce(s, 2)).toBe(true);
  });

  it("no events means never granted", () => {
    expect(effectiveStatus(project([]), 1)).toBe("never");
    expect(isInForce(undefined, 0)).toBe(false);
  });
});
