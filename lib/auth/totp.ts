import { createHash, randomBytes } from "node:crypto";
import { generate, generateSecret, generateURI, verify } from "otplib";
import type { Tx } from "../db.ts";
import { open, seal } from "../crypto/key-ring.ts";

// The administrators' second factor: TOTP (RFC 6238, the authenticator-app defaults: SHA-1, 6
// digits, 30 s) through otplib, never hand-rolled. The secret is sealed under the template key ring
// (AES-256-GCM, key id per row, AAD = user id); recovery codes are kept as SHA-256 only.
// docs/decisions/0006-admin-totp.md says why.

export const TOTP_PERIOD = 30;
// A code of the step before or after the current one is accepted too (clock drift, slow typing).
export const TOTP_TOLERANCE_SECONDS = TOTP_PERIOD;
export const RECOVERY_CODES = 10;
export const TOTP_ISSUER = "Veil";

export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function sealTotpSecret(userId: string, secret: string): { keyId: string; secret: Uint8Array<ArrayBuffer> } {
  const { keyId, sealed } = seal(Buffer.from(secret, "utf8"), `totp:${userId}`);
  return { keyId, secret: sealed };
}

export function openTotpSecret(userId: string, row: { secret: Uint8Array; keyId: string }): string {
  return open(row.secret, row.keyId, `totp:${userId}`).toString("utf8");
}

export function totpUri(email: string, secret: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label: email, secret });
}

/** The code of the given moment (tests, and the e2e helpers that stand in for an authenticator app). */
export async function totpCode(secret: string, epochSeconds = Date.now() / 1000): Promise<string> {
  return generate({ secret, epoch: Math.floor(epochSeconds) });
}

export const isTotpShaped = (code: string) => /^\d{6}$/.test(code);

/**
 * Checks a 6-digit code and, when it is right, records its time step in the same statement that
 * refuses any step at or before the last one accepted: a code already used (or an older one) is
 * refused, and two requests racing with the same code cannot both win. Returns the step, or null.
 */
export async function acceptTotpCode(
  tx: Tx,
  userId: string,
  code: string,
  opts: { enabled: boolean },
): Promise<number | null> {
  if (!isTotpShaped(code)) return null;
  const row = await tx.staffTotp.findUnique({ where: { userId } });
  if (!row || (row.enabledAt !== null) !== opts.enabled) return null;
  const result = await verify({
    secret: openTotpSecret(userId, row),
    token: code,
    epochTolerance: TOTP_TOLERANCE_SECONDS,
    ...(row.lastTimeStep !== null ? { afterTimeStep: row.lastTimeStep } : {}),
  });
  if (!result.valid || !("timeStep" in result)) return null;
  const won = await tx.staffTotp.updateMany({
    where: { userId, OR: [{ lastTimeStep: null }, { lastTimeStep: { lt: result.timeStep } }] },
    data: { lastTimeStep: result.timeStep, ...(opts.enabled ? {} : { enabledAt: new Date() }) },
  });
  return won.count === 1 ? result.timeStep : null;
}

// Recovery codes: 12 characters of base32 (60 random bits), shown as xxxx-xxxx-xxxx.
const B32 = "abcdefghijklmnopqrstuvwxyz234567";

export function newRecoveryCodes(n = RECOVERY_CODES): string[] {
  return Array.from({ length: n }, () => {
    const bytes = randomBytes(12);
    const chars = Array.from(bytes, (b) => B32[b & 31]).join("");
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

/** Spaces, dashes and case do not matter when a recovery code is typed. */
export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, "");
}

export const isRecoveryShaped = (code: string) => /^[a-z2-7]{12}$/.test(normaliseRecoveryCode(code));

export function hashRecoveryCode(code: string): string {
  return createHash("sha256")
    .update(`veil-recovery:${normaliseRecoveryCode(code)}`)
    .digest("hex");
}

/** Spends a recovery code: true only for the one request that marks it used. */
export async function spendRecoveryCode(tx: Tx, userId: string, code: string): Promise<boolean> {
  if (!isRecoveryShaped(code)) return false;
  const spent = await tx.staffRecoveryCode.updateMany({
    where: { userId, codeHash: hashRecoveryCode(code), usedAt: null },
    data: { usedAt: new Date() },
  });
  return spent.count === 1;
}
