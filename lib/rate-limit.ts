import { createHmac } from "node:crypto";
import { env } from "./env.ts";
import { AppError } from "./errors/app-error.ts";
import { key, ready, redis } from "./redis.ts";

/**
 * Fixed-window rate limit in Redis, shared by every app process. The subject (an e-mail, an IP, a
 * user id) is hashed with a secret key (SUBJECT_HASH_KEY) so no address is written to Redis in
 * clear, nor a hash anyone could recompute from a list of addresses. Throws rate_limited with
 * Retry-After. If Redis is down the limit is not enforced (sign-in must not fail closed on it;
 * the request itself will meet Redis again where it matters).
 */
export async function rateLimit(bucket: string, subject: string, limit: number, windowSeconds: number): Promise<void> {
  const id = createHmac("sha256", env().SUBJECT_HASH_KEY).update(subject.toLowerCase()).digest("hex").slice(0, 32);
  const window = Math.floor(Date.now() / 1000 / windowSeconds);
  const k = key("ratelimit", bucket, id, String(window));
  let count: number;
  try {
    const r = await ready(redis("producer"), 1000);
    const [[, c]] = (await r.multi().incr(k).expire(k, windowSeconds).exec()) as [[null, number], unknown];
    count = c;
  } catch {
    return;
  }
  if (count > limit) {
    const retryAfter = windowSeconds - (Math.floor(Date.now() / 1000) % windowSeconds);
    throw new AppError("rate_limited", `too many ${bucket} attempts`, undefined, retryAfter);
  }
}
