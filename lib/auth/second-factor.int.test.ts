// The administrators' second factor against the real database and Redis: enrolment, replay,
// recovery codes and the lock, including two requests racing with the same code.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { makeUser } from "../../tests/fixtures.ts";
import { startTotpEnrolment } from "./start-totp-enrolment.ts";
import { confirmTotpEnrolment } from "./confirm-totp-enrolment.ts";
import { verifySecondFactor } from "./verify-second-factor.ts";
import { SECOND_FACTOR_LIMITS, secondFactorLockedFor } from "./staff-throttle.ts";
import { openTotpSecret, totpCode } from "./totp.ts";
import { resetSecondFactor } from "./reset-second-factor.ts";

const sid = () => randomBytes(18).toString("base64url");
const audits = (userId: string, action: string) => db().auditLog.count({ where: { targetId: userId, action } });

async function enrolled() {
  const admin = await makeUser("ADMIN");
  const e = (await startTotpEnrolment(admin))!;
  const r = await confirmTotpEnrolment({ userId: admin.id, sid: sid(), code: await totpCode(e.secret) });
  if (!r.ok) throw new Error("enrolment failed");
  return { admin, secret: e.secret, recovery: r.value };
}

describe("admin second factor", () => {
  it("enrolment keeps the secret sealed, ten hashed recovery codes, and audits it with the session marked", async () => {
    const admin = await makeUser("ADMIN");
    const e = (await startTotpEnrolment(admin))!;
    expect(e.uri).toMatch(/^otpauth:\/\/totp\/Veil:/);
    expect(e.qrSvg).toContain("<svg");
    // Asking again before confirming shows the same secret; the row holds only its sealed form.
    expect((await startTotpEnrolment(admin))!.secret).toBe(e.secret);
    const row = await db().staffTotp.findUniqueOrThrow({ where: { userId: admin.id } });
    expect(Buffer.from(row.secret).toString("latin1")).not.toContain(e.secret);
    expect(openTotpSecret(admin.id, row)).toBe(e.secret);
    expect(row.enabledAt).toBeNull();
    const s = sid();
    const r = await confirmTotpEnrolment({ userId: admin.id, sid: s, code: await totpCode(e.secret) });
    expect(r.ok && r.value.length).toBe(10);
    expect((await db().staffTotp.findUniqueOrThrow({ where: { userId: admin.id } })).enabledAt).not.toBeNull();
    expect(await db().staffSecondFactor.findUnique({ where: { sid: s } })).toMatchObject({ userId: admin.id });
    expect(await db().staffRecoveryCode.count({ where: { userId: admin.id, usedAt: null } })).toBe(10);
    expect(await audits(admin.id, "staff.totp_enrolled")).toBe(1);
    // Once enabled there is nothing to enrol.
    expect(await startTotpEnrolment(admin)).toBeNull();
  });

  it("two sessions racing with the same code: exactly one passes", async () => {
    const { admin, secret } = await enrolled();
    // The next step's code: the enrolment spent the current one.
    const code = await totpCode(secret, Date.now() / 1000 + 30);
    const [a, b] = [sid(), sid()];
    const results = await Promise.all([
      verifySecondFactor({ userId: admin.id, sid: a, code }),
      verifySecondFactor({ userId: admin.id, sid: b, code }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await db().staffSecondFactor.count({ where: { sid: { in: [a, b] } } })).toBe(1);
  });

  it("a recovery code raced twice is spent once", async () => {
    const { admin, recovery } = await enrolled();
    const results = await Promise.all(
      [0, 1, 2].map(() => verifySecondFactor({ userId: admin.id, sid: sid(), code: recovery[3]! })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await audits(admin.id, "staff.recovery_code_used")).toBe(1);
    expect(await db().staffRecoveryCode.count({ where: { userId: admin.id, usedAt: null } })).toBe(9);
  });

  it("a wrong enrolment code enables nothing and counts towards the lock", async () => {
    const admin = await makeUser("ADMIN");
    const e = (await startTotpEnrolment(admin))!;
    const right = await totpCode(e.secret);
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < SECOND_FACTOR_LIMITS.failures; i++)
      expect((await confirmTotpEnrolment({ userId: admin.id, sid: sid(), code: wrong })).ok).toBe(false);
    expect((await db().staffTotp.findUniqueOrThrow({ where: { userId: admin.id } })).enabledAt).toBeNull();
    expect(await secondFactorLockedFor(admin.id)).toBeGreaterThan(SECOND_FACTOR_LIMITS.firstLockSeconds - 5);
    expect(await confirmTotpEnrolment({ userId: admin.id, sid: sid(), code: right })).toMatchObject({
      ok: false,
      reason: "locked",
    });
    expect(await audits(admin.id, "staff.totp_failed")).toBe(SECOND_FACTOR_LIMITS.failures);
    expect(await audits(admin.id, "staff.totp_locked")).toBe(1);
    expect(await db().staffRecoveryCode.count({ where: { userId: admin.id } })).toBe(0);
  });

  it("an admin's secret opened under another user's id fails (the sealed row is bound to its owner)", async () => {
    const { admin } = await enrolled();
    const other = await makeUser("ADMIN");
    const row = await db().staffTotp.findUniqueOrThrow({ where: { userId: admin.id } });
    expect(() => openTotpSecret(other.id, row)).toThrow();
  });
});

describe("resetting an administrator's second factor", () => {
  it("removes the authenticator, codes and passed sessions, ends their sessions, audited; the next sign-in enrols afresh", async () => {
    const { admin } = await enrolled();
    const before = await db().user.findUniqueOrThrow({ where: { id: admin.id } });
    expect(await resetSecondFactor({ userId: admin.id, actor: { id: null, role: "SYSTEM" } })).toBe(true);
    expect(await db().staffTotp.count({ where: { userId: admin.id } })).toBe(0);
    expect(await db().staffRecoveryCode.count({ where: { userId: admin.id } })).toBe(0);
    expect(await db().staffSecondFactor.count({ where: { userId: admin.id } })).toBe(0);
    expect((await db().user.findUniqueOrThrow({ where: { id: admin.id } })).sessionVersion).toBe(
      before.sessionVersion + 1,
    );
    expect(await audits(admin.id, "staff.totp_reset")).toBe(1);
    expect(await startTotpEnrolment(admin)).not.toBeNull();
    expect(await resetSecondFactor({ userId: (await makeUser("ADMIN")).id, actor: { id: null, role: "SYSTEM" } })).toBe(
      false,
    );
  });
});
