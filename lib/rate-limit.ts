import { createHmac } from "node:crypto";
import { env } from "./env.ts";
import { AppError } from "./errors/app-error.ts";
import { key, ready, redis } from "./redis.ts";

/** The Redis key of one subject's counter in one bucket. */
export function rateLimitKey(bucket: string, subject: string): string {
  const id = createHmac("sha256", env().SUBJECT_HASH_KEY).update(subject.toLowerCase()).digest("hex").slice(0, 32);
  return key("ratelimit", bucket, id);
}

/**
 * Fixed-window rate limit in Redis, shared by every app process. The subject (an e-mail, an IP, a
 * user id) is hashed with a secret key (SUBJECT_HASH_KEY) so no address is written to Redis in
 * clear, nor a hash anyone could recompute from a list of addresses. The window starts at the
 * subject's first attempt and ends windowSeconds later, whatever happens in between: SET NX EX
 * gives the counter its expiry once, later attempts (allowed or refused) only INCR it, so trying
 * again neither renews nor extends the window, and there is no clock-aligned boundary at which a
 * client gets a fresh allowance early. Throws rate_limited with Retry-After = the window's
 * remaining time (PTTL). If Redis is down the limit is not enforced (sign-in must not fail closed
 * on it; the request itself will meet Redis again where it matters).
 */
export async function rateLimit(bucket: string, subject: string, limit: number, windowSeconds: number): Promise<void> {
  const k = rateLimitKey(bucket, subject);
  let count: number;
  let leftMs: number;
  try {
    const r = await ready(redis("producer"), 1000);
    const replies = (await r.multi().set(k, "0", "EX", windowSeconds, "NX").incr(k).pttl(k).exec()) ?? [];
    if (replies.length !== 3 || replies.some(([e]) => e)) throw new Error("rate-limit transaction failed");
    count = replies[1]![1] as number;
    leftMs = replies[2]![1] as number;
    if (leftMs < 0) {
      // A counter without expiry would refuse this subject forever: give it a window now.
      await r.pexpire(k, windowSeconds * 1000);
      leftMs = windowSeconds * 1000;
    }
  } catch {
    return;
  }
  if (count > limit) {
    throw new AppError("rate_limited", `too many ${bucket} attempts`, undefined, Math.max(1, Math.ceil(leftMs / 1000)));
  }
}
