// The fixed window of lib/rate-limit.ts against real Redis. Time passing is played by shortening
// the counter's expiry in Redis (the window's clock), never by waiting on the wall clock.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isAppError } from "./errors/app-error.ts";
import { ready, redis } from "./redis.ts";
import { until } from "../tests/until.ts";
import { rateLimit, rateLimitKey } from "./rate-limit.ts";

const WINDOW = 600;
const r = () => ready(redis("producer"));
const attempt = (subject: string, limit: number) =>
  rateLimit("test-window", subject, limit, WINDOW).then(
    () => "allowed" as const,
    (e: unknown) => {
      if (!isAppError(e, "rate_limited")) throw e;
      return e.retryAfter!;
    },
  );
/** Pins Date a second before a clock-aligned window boundary (where a clock-aligned limiter starts afresh). */
const beforeBoundary = () => new Date((Math.floor(Date.now() / 1000 / WINDOW) + 1) * WINDOW * 1000 - 1000);

afterEach(() => vi.useRealTimers());

describe("rate limit: a fixed window from the first attempt", () => {
  it("a client who keeps trying never gets a window reset: trying again neither renews the window nor moves its end", async () => {
    const subject = randomUUID();
    const k = rateLimitKey("test-window", subject);
    vi.useFakeTimers({ toFake: ["Date"], now: beforeBoundary() });
    expect(await attempt(subject, 3)).toBe("allowed");
    expect(await (await r()).pttl(k)).toBeGreaterThan((WINDOW - 60) * 1000);
    expect(await attempt(subject, 3)).toBe("allowed");
    expect(await attempt(subject, 3)).toBe("allowed");
    // The clock crosses a clock-aligned boundary: no fresh allowance, the window is this client's.
    vi.setSystemTime(new Date(Date.now() + 2000));
    expect(typeof (await attempt(subject, 3))).toBe("number");
    // Most of the window has passed (2 s left); a client hammering meanwhile moves its end no further.
    await (await r()).pexpire(k, 2000);
    for (let i = 0; i < 10; i++) expect(typeof (await attempt(subject, 3))).toBe("number");
    expect(await (await r()).pttl(k)).toBeLessThanOrEqual(2000);
  });

  it("Retry-After tells the truth: it is the time left in the window, and once it has passed the client is let in again", async () => {
    const subject = randomUUID();
    const k = rateLimitKey("test-window", subject);
    expect(await attempt(subject, 2)).toBe("allowed");
    expect(await attempt(subject, 2)).toBe("allowed");
    // Five seconds of the window are left.
    await (await r()).pexpire(k, 5000);
    const retryAfter = await attempt(subject, 2);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(5);
    expect(await (await r()).pttl(k)).toBeLessThanOrEqual(Number(retryAfter) * 1000);
    // The window ends when Retry-After said: the next attempt opens a new one with the full allowance.
    await (await r()).pexpire(k, 1);
    await until("the window's counter to expire", async () => (await (await r()).exists(k)) === 0);
    expect(await attempt(subject, 2)).toBe("allowed");
    expect(await attempt(subject, 2)).toBe("allowed");
    expect(await attempt(subject, 2)).toBeGreaterThan(WINDOW - 60);
  });

  it("a counter left without an expiry gets one instead of refusing its subject forever", async () => {
    const subject = randomUUID();
    const k = rateLimitKey("test-window", subject);
    await (await r()).set(k, "99");
    const retryAfter = await attempt(subject, 2);
    expect(typeof retryAfter).toBe("number");
    expect(await (await r()).pttl(k)).toBeGreaterThan(0);
  });
});
