// Enrolment at the kiosk, the server's side of the code (issue 11 item 2, invariant 10): a code
// needs consent and a presence check-in, is stored only as a keyed hash, works once, for 2
// minutes, at a paired kiosk of its own store only, and guessing is rate-limited. Real PostgreSQL
// and Redis; the enrol.kiosk job is not run here (frame-pipeline.int.test.ts runs it).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { ready, redis } from "../redis.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { checkInWithToken } from "../../tests/presence.ts";
import { burstOf, pairedKiosk } from "../../tests/kiosk.ts";
import { facesDir } from "../../tests/faces.ts";
import { grantConsent } from "../consent/grant-consent.ts";
import { revokeDevice } from "../devices/revoke-device.ts";
import { createDevicePairing } from "../devices/create-device-pairing.ts";
import { pairDevice } from "../devices/pair-device.ts";
import { queue } from "../jobs/queues.ts";
import { isAppError } from "../errors/app-error.ts";
import { issueKioskCode } from "./issue-kiosk-code.ts";
import { submitKioskBurst } from "./submit-kiosk-burst.ts";
import { getKioskEnrolment } from "./get-kiosk-enrolment.ts";
import { KIOSK_ATTEMPTS_PER_DEVICE, KIOSK_CODE_SECONDS, burstKey } from "./kiosk-code.ts";

const amy = () => burstOf(path.join(facesDir(), "verification", "faceapi_amy"), 3);

async function codeOf(run: () => Promise<unknown>) {
  const err = await run().then(
    () => null,
    (e: unknown) => e,
  );
  return isAppError(err) ? err.code : err;
}

async function checkedInShopper(storeSlug: string) {
  const user = await makeUser();
  await grantConsent({ userId: user.id, storeSlug, purpose: "recognition", noticeVersion: 1 });
  await checkInWithToken({ userId: user.id, storeSlug });
  return user;
}

describe("kiosk codes", () => {
  it("need recognition consent and a check-in made with the display's token", async () => {
    const store = await makeStore();
    const user = await makeUser();
    expect(await codeOf(() => issueKioskCode({ userId: user.id, storeSlug: store.slug }))).toBe(
      "dependency_not_granted",
    );
    await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
    expect(await codeOf(() => issueKioskCode({ userId: user.id, storeSlug: store.slug }))).toBe("check_in_required");
    expect(await db().kioskEnrolment.count({ where: { userId: user.id } })).toBe(0);
    await checkInWithToken({ userId: user.id, storeSlug: store.slug });
    const issued = await issueKioskCode({ userId: user.id, storeSlug: store.slug });
    expect(issued.code).toMatch(/^\d{6}$/);
    expect(issued.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(KIOSK_CODE_SECONDS * 1000);
  });

  it("are stored only as a keyed hash, audited when issued, and one code replaces the shopper's previous one", async () => {
    const store = await makeStore();
    const user = await checkedInShopper(store.slug);
    const first = await issueKioskCode({ userId: user.id, storeSlug: store.slug });
    const row = await db().kioskEnrolment.findUniqueOrThrow({ where: { id: first.enrolmentId } });
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(first.code);
    expect(await db().auditLog.count({ where: { action: "kiosk.code_issued", targetId: row.id } })).toBe(1);

    const kiosk = await pairedKiosk(store.slug);
    const frames = await amy();
    const second = await issueKioskCode({ userId: user.id, storeSlug: store.slug });
    if (second.code !== first.code)
      expect(
        await codeOf(() =>
          submitKioskBurst({
            storeSlug: store.slug,
            credential: kiosk.credential,
            code: first.code,
            frames,
          }),
        ),
      ).toBe("kiosk_code_invalid");
    expect(await getKioskEnrolment({ userId: user.id, enrolmentId: first.enrolmentId })).toMatchObject({
      status: "REFUSED",
      reason: "superseded",
    });
  });
});

describe("redeeming a code at the kiosk", () => {
  it("works once at a paired kiosk of the store: template pending, job queued, frames only in Redis, audited", async () => {
    const store = await makeStore();
    const user = await checkedInShopper(store.slug);
    const kiosk = await pairedKiosk(store.slug);
    const { code, enrolmentId } = await issueKioskCode({ userId: user.id, storeSlug: store.slug });
    const frames = await amy();
    expect(await submitKioskBurst({ storeSlug: store.slug, credential: kiosk.credential, code, frames })).toEqual({
      enrolmentId,
    });

    expect(await db().kioskEnrolment.findUniqueOrThrow({ where: { id: enrolmentId } })).toMatchObject({
      status: "PROCESSING",
      codeHash: null,
      deviceId: kiosk.deviceId,
    });
    expect(await db().faceTemplate.findUniqueOrThrow({ where: { userId: user.id } })).toMatchObject({
      status: "PENDING",
      ciphertext: null,
    });
    const r = await ready(redis("producer"));
    expect(await r.llen(burstKey(enrolmentId))).toBe(3);
    expect(await r.ttl(burstKey(enrolmentId))).toBeGreaterThan(0);
    const job = await queue("enrolment").getJob(`enrol.kiosk-${enrolmentId}`);
    expect(job!.data).toEqual({ enrolmentId });
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: "template.submit", targetId: enrolmentId } });
    expect(audit).toMatchObject({ actorRole: "DEVICE", actorId: kiosk.deviceId, storeId: store.id });

    // The same code a second time, even at the same kiosk: refused, nothing changes.
    expect(
      await codeOf(() => submitKioskBurst({ storeSlug: store.slug, credential: kiosk.credential, code, frames })),
    ).toBe("kiosk_code_invalid");
    expect(await db().auditLog.count({ where: { action: "template.submit", targetId: enrolmentId } })).toBe(1);
    await job!.remove();
    await r.del(burstKey(enrolmentId));
  });

  it("refuses a wrong code, an expired code, and another store's code, writing nothing", async () => {
    const [store, other] = [await makeStore(), await makeStore()];
    const user = await checkedInShopper(store.slug);
    const kiosk = await pairedKiosk(store.slug);
    const otherKiosk = await pairedKiosk(other.slug);
    const frames = await amy();
    const now = new Date();
    const { code, enrolmentId } = await issueKioskCode({ userId: user.id, storeSlug: store.slug, now });
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    const at = (s: string, credential: string, c: string, when?: Date) =>
      codeOf(() => submitKioskBurst({ storeSlug: s, credential, code: c, frames, now: when }));

    expect(await at(store.slug, kiosk.credential, wrong)).toBe("kiosk_code_invalid");
    expect(await at(store.slug, kiosk.credential, "12345")).toBe("kiosk_code_invalid");
    // A code exists only at its own store: the other store's paired kiosk cannot redeem it.
    expect(await at(other.slug, otherKiosk.credential, code)).toBe("kiosk_code_invalid");
    // Nor can this store's kiosk pretend to be the other store's.
    expect(await at(other.slug, kiosk.credential, code)).toBe("kiosk_not_paired");
    expect((await db().kioskEnrolment.findUniqueOrThrow({ where: { id: enrolmentId } })).status).toBe("ISSUED");

    const late = new Date(now.getTime() + KIOSK_CODE_SECONDS * 1000 + 1);
    expect(await at(store.slug, kiosk.credential, code, late)).toBe("kiosk_code_expired");
    expect(await getKioskEnrolment({ userId: user.id, enrolmentId })).toMatchObject({ status: "EXPIRED" });
    expect(await at(store.slug, kiosk.credential, code)).toBe("kiosk_code_invalid");
    expect(await db().faceTemplate.count({ where: { userId: user.id } })).toBe(0);
    expect(await db().auditLog.count({ where: { action: "template.submit", storeId: store.id } })).toBe(0);
  });

  it("refuses an unpaired, revoked or display device and a shopper's own session: kiosk_not_paired", async () => {
    const store = await makeStore();
    const user = await checkedInShopper(store.slug);
    const { code, enrolmentId } = await issueKioskCode({ userId: user.id, storeSlug: store.slug });
    const frames = await amy();
    const send = (credential: string | undefined) =>
      codeOf(() => submitKioskBurst({ storeSlug: store.slug, credential, code, frames }));
    expect(await send(undefined)).toBe("kiosk_not_paired");
    const display = await createDevicePairing({
      kind: "DISPLAY",
      storeSlug: store.slug,
      name: "Door",
      actor: { id: null, role: "SYSTEM" },
    });
    const displayCredential = (await pairDevice({ kind: "DISPLAY", storeSlug: store.slug, code: display.code }))
      .credential;
    expect(await send(displayCredential)).toBe("kiosk_not_paired");
    const kiosk = await pairedKiosk(store.slug);
    await revokeDevice({ deviceId: kiosk.deviceId, actor: { id: null, role: "SYSTEM" } });
    expect(await send(kiosk.credential)).toBe("kiosk_not_paired");
    expect((await db().kioskEnrolment.findUniqueOrThrow({ where: { id: enrolmentId } })).status).toBe("ISSUED");
  });

  it("rate-limits attempts per kiosk, so codes cannot be guessed", async () => {
    const store = await makeStore();
    const user = await checkedInShopper(store.slug);
    const kiosk = await pairedKiosk(store.slug);
    const { code } = await issueKioskCode({ userId: user.id, storeSlug: store.slug });
    const frames = await amy();
    const guesses = ["000000", "111111", "222222", "333333", "444444", "555555", "666666", "777777", "888888"]
      .concat(["999999", "123456", "654321"])
      .filter((g) => g !== code)
      .slice(0, KIOSK_ATTEMPTS_PER_DEVICE);
    for (const g of guesses)
      expect(
        await codeOf(() => submitKioskBurst({ storeSlug: store.slug, credential: kiosk.credential, code: g, frames })),
      ).toBe("kiosk_code_invalid");
    // The right code, once the kiosk has used its attempts: refused before any lookup.
    expect(
      await codeOf(() => submitKioskBurst({ storeSlug: store.slug, credential: kiosk.credential, code, frames })),
    ).toBe("rate_limited");
  });

  it("shows the outcome only to the shopper the code was issued to", async () => {
    const store = await makeStore();
    const user = await checkedInShopper(store.slug);
    const other = await makeUser();
    const { enrolmentId } = await issueKioskCode({ userId: user.id, storeSlug: store.slug });
    expect((await getKioskEnrolment({ userId: user.id, enrolmentId })).status).toBe("ISSUED");
    expect(await codeOf(() => getKioskEnrolment({ userId: other.id, enrolmentId }))).toBe("not_found");
  });
});
