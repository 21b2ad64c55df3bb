import { describe, expect, it } from "vitest";
import { signFrame, signatureMatches, timestampFresh, timestampMs } from "./frame-signature.ts";

const body = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);

describe("frame signatures", () => {
  it("binds the signature to secret, method, path, time and body", () => {
    const sig = signFrame("s3cret", "POST", "/api/ingest/frames", "1700000000", body);
    expect(sig).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(signatureMatches(sig, signFrame("s3cret", "POST", "/api/ingest/frames", "1700000000", body))).toBe(true);
    for (const other of [
      signFrame("other", "POST", "/api/ingest/frames", "1700000000", body),
      signFrame("s3cret", "PUT", "/api/ingest/frames", "1700000000", body),
      signFrame("s3cret", "POST", "/api/ingest/other", "1700000000", body),
      signFrame("s3cret", "POST", "/api/ingest/frames", "1700000001", body),
      signFrame("s3cret", "POST", "/api/ingest/frames", "1700000000", Buffer.concat([body, Buffer.from([0])])),
    ]) {
      expect(signatureMatches(sig, other)).toBe(false);
    }
    expect(signatureMatches(sig, "v1=short")).toBe(false);
  });

  it("accepts only fresh, well-formed timestamps", () => {
    const now = 1_700_000_000_000;
    expect(timestampFresh("1700000000", now, 60)).toBe(true);
    expect(timestampFresh("1700000061", now, 60)).toBe(false);
    expect(timestampFresh("1699999939", now, 60)).toBe(false);
    expect(timestampFresh("17e8", now, 60)).toBe(false);
    expect(timestampFresh("", now, 60)).toBe(false);
  });

  it("takes milliseconds too (13 digits), and nothing in between", () => {
    const now = 1_700_000_000_000;
    expect(timestampFresh("1700000000250", now, 60)).toBe(true);
    expect(timestampFresh("1700000061000", now, 60)).toBe(false);
    expect(timestampMs("1700000000250")).toBe(1_700_000_000_250);
    expect(timestampMs("1700000000")).toBe(1_700_000_000_000);
    // 12 digits would be a seconds value thousands of years away, or a truncated millisecond one
    expect(timestampFresh("170000000025", now, 60)).toBe(false);
  });
});
