import { createHmac } from "node:crypto";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { key, redis } from "../redis.ts";
import { appendAudit } from "../audit/append-audit.ts";

// Staff password guessing is throttled three ways, all counting failures only:
//   one account from one client address: 5 failures in 15 min lock that pair, for 15 min the
//     first time and twice as long each further time within a day (backoff, at most 24 h);
//   one account from anywhere: 20 failures in an hour lock it for an hour (a botnet's guesses);
//   one client address against any accounts: 100 failures in an hour lock it for an hour.
// Unknown addresses are counted exactly like real ones, so a lock tells nothing about an account.
// Every lock of a real account is an audit record ("staff.signin_locked"), shown on /staff.
export const STAFF_LIMITS = {
  pair: { failures: 5, windowSeconds: 15 * 60, firstLockSeconds: 15 * 60, maxLockSeconds: 24 * 3600 },
  account: { failures: 20, windowSeconds: 3600, lockSeconds: 3600 },
  ip: { failures: 100, windowSeconds: 3600, lockSeconds: 3600 },
} as const;

// Second-factor codes (lib/auth/verify-second-factor.ts, confirm-totp-enrolment.ts), per account,
// from any address (whoever types them already has the password): 5 wrong codes in 15 min lock the
// account's second factor for 15 min, twice as long each further time within a day (at most 24 h).
// 6-digit codes with one step either side make 3 right answers in a million: at most ~500 guesses
// a day. Every wrong code is an audit record ("staff.totp_failed"), every lock too ("staff.totp_locked").
export const SECOND_FACTOR_LIMITS = {
  failures: 5,
  windowSeconds: 15 * 60,
  firstLockSeconds: 15 * 60,
  maxLockSeconds: 24 * 3600,
} as const;

type Limiters = {
  pair: RateLimiterAbstract;
  pairLocks: RateLimiterAbstract;
  account: RateLimiterAbstract;
  ip: RateLimiterAbstract;
  code: RateLimiterAbstract;
  codeLocks: RateLimiterAbstract;
};
let limiters: Limiters | undefined;

const consumed = async (lim: RateLimiterAbstract, k: string) =>
  (await lim.consume(k).catch((r: { consumedPoints: number }) => r)).consumedPoints;

function limiter(name: string, points: number, duration: number, blockDuration = 0): RateLimiterAbstract {
  // If Redis is unreachable each process keeps counting in memory rather than opening the door.
  return new RateLimiterRedis({
    storeClient: redis("producer"),
    keyPrefix: key("staff-signin", name),
    points,
    duration,
    blockDuration,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix: `staff-signin-${name}`, points, duration, blockDuration }),
  });
}

function all(): Limiters {
  const L = STAFF_LIMITS;
  limiters ??= {
    pair: limiter("pair", L.pair.failures, L.pair.windowSeconds),
    pairLocks: limiter("pair-locks", 1000, 24 * 3600),
    account: limiter("account", L.account.failures, L.account.windowSeconds, L.account.lockSeconds),
    ip: limiter("ip", L.ip.failures, L.ip.windowSeconds, L.ip.lockSeconds),
    code: limiter("code", SECOND_FACTOR_LIMITS.failures, SECOND_FACTOR_LIMITS.windowSeconds),
    codeLocks: limiter("code-locks", 1000, 24 * 3600),
  };
  return limiters;
}

// Keyed hashes: Redis never holds an address or an IP in clear, nor a hash anyone can recompute.
const id = (...parts: string[]) =>
  createHmac("sha256", env().SUBJECT_HASH_KEY).update(parts.join("\n")).digest("hex").slice(0, 32);

async function isBlocked(l: RateLimiterAbstract, k: string, points: number): Promise<number> {
  const res = await l.get(k);
  return res && res.consumedPoints >= points ? Math.ceil(res.msBeforeNext / 1000) : 0;
}

/** Seconds until this account may be tried again from this address; 0 when it may be now. */
export async function staffSignInLockedFor(email: string, ip: string): Promise<number> {
  const { pair, account, ip: byIp } = all();
  const L = STAFF_LIMITS;
  const waits = await Promise.all([
    isBlocked(pair, id(email, ip), L.pair.failures),
    isBlocked(account, id(email), L.account.failures),
    isBlocked(byIp, id(ip), L.ip.failures),
  ]);
  return Math.max(...waits);
}

/** Counts a failed password; locks (and audits, for a real account) when a limit is reached. */
export async function recordStaffFailure(email: string, ip: string, userId: string | null): Promise<void> {
  const l = all();
  const L = STAFF_LIMITS;
  const locks: { scope: string; seconds: number }[] = [];
  const count = consumed;
  const pairKey = id(email, ip);
  if ((await count(l.pair, pairKey)) === L.pair.failures) {
    const n = await count(l.pairLocks, pairKey);
    const seconds = Math.min(L.pair.firstLockSeconds * 2 ** (n - 1), L.pair.maxLockSeconds);
    await l.pair.block(pairKey, seconds);
    locks.push({ scope: "account+ip", seconds });
  }
  if ((await count(l.account, id(email))) === L.account.failures)
    locks.push({ scope: "account", seconds: L.account.lockSeconds });
  await count(l.ip, id(ip));
  if (!userId || !locks.length) return;
  await db().$transaction(async (tx) => {
    for (const lock of locks) {
      await appendAudit(tx, {
        actorId: null,
        actorRole: "SYSTEM",
        action: "staff.signin_locked",
        targetType: "user",
        targetId: userId,
        details: lock,
      });
    }
  });
}

/** A right password ends the pair's run of failures (the account- and IP-wide counts stay). */
export async function clearStaffFailures(email: string, ip: string): Promise<void> {
  await all().pair.delete(id(email, ip));
}

/** Seconds until this account's second factor may be tried again; 0 when it may be now. */
export async function secondFactorLockedFor(userId: string): Promise<number> {
  return isBlocked(all().code, id("code", userId), SECOND_FACTOR_LIMITS.failures);
}

/**
 * Counts a wrong second-factor code and writes its audit record, with the lock's when this failure
 * reached the limit (one transaction). Returns the seconds of the lock it set, or 0.
 */
export async function recordSecondFactorFailure(userId: string, step: "enrol" | "verify"): Promise<number> {
  const l = all();
  const L = SECOND_FACTOR_LIMITS;
  const k = id("code", userId);
  let seconds = 0;
  if ((await consumed(l.code, k)) === L.failures) {
    const n = await consumed(l.codeLocks, k);
    seconds = Math.min(L.firstLockSeconds * 2 ** (n - 1), L.maxLockSeconds);
    await l.code.block(k, seconds);
  }
  await db().$transaction(async (tx) => {
    await appendAudit(tx, {
      actorId: userId,
      actorRole: "ADMIN",
      action: "staff.totp_failed",
      targetType: "user",
      targetId: userId,
      details: { step },
    });
    if (seconds)
      await appendAudit(tx, {
        actorId: null,
        actorRole: "SYSTEM",
        action: "staff.totp_locked",
        targetType: "user",
        targetId: userId,
        details: { seconds },
      });
  });
  return seconds;
}

/** A right code ends the run of wrong ones (the lock history of the day stays). */
export async function clearSecondFactorFailures(userId: string): Promise<void> {
  await all().code.delete(id("code", userId));
}
