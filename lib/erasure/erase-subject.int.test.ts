import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { ready, redis } from "../redis.ts";
import { isAppError } from "../errors/app-error.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { grantConsent } from "../consent/grant-consent.ts";
import { checkInWithToken } from "../../tests/presence.ts";
import { sealTemplate } from "../templates/template-codec.ts";
import { recordVisit } from "../visits/record-visit.ts";
import { verifyLedger } from "../consent/ledger-hash.ts";
import { verifyAuditChain } from "../audit/verify-audit-chain.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { burstKey } from "../kiosk/kiosk-code.ts";
import { submitRequest } from "../requests/submit-request.ts";
import { approveRequest } from "../requests/approve-request.ts";
import { cancelRequest } from "../requests/cancel-request.ts";
import { rejectRequest } from "../requests/reject-request.ts";
import { eraseSubject } from "./erase-subject.ts";
import { subjectHash } from "./subject-hash.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";
import { listSubjectTimeline } from "../audit/list-subject-timeline.ts";

/** A shopper with something in every place erasure must reach. */
async function populatedShopper(storeSlug: string, storeId: string) {
  const user = await makeUser();
  await grantConsent({ userId: user.id, storeSlug, purpose: "recognition", noticeVersion: 1 });
  await grantConsent({ userId: user.id, storeSlug, purpose: "demographics", noticeVersion: 1 });
  await db().faceTemplate.create({
    data: {
      userId: user.id,
      status: "ENROLLED",
      ...sealTemplate(user.id, new Float32Array(512).fill(0.04)),
      modelVersion: "t",
    },
  });
  await checkInWithToken({ userId: user.id, storeSlug });
  await recordVisit({
    userId: user.id,
    storeId,
    cameraId: "cam_t",
    frameId: randomUUID(),
    faceIndex: 0,
    seenAt: new Date(),
    score: 0.9,
    ageBand: "25-34",
    gender: "male",
  });
  await db().session.create({
    data: { sessionToken: randomUUID(), userId: user.id, expires: new Date(Date.now() + 3_600_000) },
  });
  await db().verificationToken.create({
    data: { identifier: user.email!, token: randomUUID(), expires: new Date(Date.now() + 3_600_000) },
  });
  // A kiosk burst waiting for its enrolment job: the kiosk enrolment row and its frames in Redis.
  const enrolment = await db().kioskEnrolment.create({
    data: { userId: user.id, storeId, expiresAt: new Date(Date.now() + 120_000), status: "PROCESSING" },
  });
  const burst = burstKey(enrolment.id);
  await (await ready(redis("producer"))).multi().rpush(burst, "bytes").expire(burst, 60).exec();
  await db().$transaction((tx) =>
    appendAudit(tx, {
      subjectOf: user.id,
      actorId: "kiosk",
      actorRole: "DEVICE",
      action: "template.submit",
      targetType: "KioskEnrolment",
      targetId: enrolment.id,
      details: { frames: 1 },
    }),
  );
  const dir = path.join(env().DATA_DIR, "exports");
  mkdirSync(dir, { recursive: true });
  const exportPath = path.join(dir, `${randomUUID()}.json`);
  writeFileSync(exportPath, "{}");
  const store = await db().store.findUniqueOrThrow({ where: { slug: storeSlug } });
  await db().dataRequest.create({
    data: {
      userId: user.id,
      storeId: store.id,
      kind: "ACCESS",
      status: "COMPLETED",
      dueAt: new Date(),
      exportPath,
      exportExpiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const subject = (await existingPseudonym(user.id))!;
  return { user, burst, exportPath, subject };
}

async function holdings(userId: string, subject: string) {
  return {
    visits: await db().visit.count({ where: { userId } }),
    checkIns: await db().checkIn.count({ where: { userId } }),
    events: await db().consentEvent.count({ where: { subject } }),
    states: await db().consentState.count({ where: { userId } }),
    templates: await db().faceTemplate.count({ where: { userId } }),
    sessions: await db().session.count({ where: { userId } }),
    users: await db().user.count({ where: { id: userId } }),
  };
}

/** Audit rows whose any column holds the text (the whole row, as PostgreSQL prints it). */
async function auditRowsContaining(needle: string): Promise<number> {
  const [row] = await db().$queryRaw<
    { n: number }[]
  >`SELECT count(*)::int AS n FROM "AuditLog" a WHERE strpos(a::text, ${needle}) > 0`;
  return row!.n;
}

const support = async () => {
  const s = await makeUser("SUPPORT");
  return { id: s.id, role: "SUPPORT" };
};

describe("erasure (invariant 6)", () => {
  it("removes everything of shopper A and nothing of shopper B, and leaves a tombstone and receipt", async () => {
    const store = await makeStore();
    const a = await populatedShopper(store.slug, store.id);
    const b = await populatedShopper(store.slug, store.id);
    const bBefore = await holdings(b.user.id, b.subject);

    const request = await submitRequest({ userId: a.user.id, storeSlug: store.slug, kind: "ERASURE" });
    expect(request.status).toBe("SUBMITTED");
    const err = await approveRequest({ requestId: request.id, actor: { id: a.user.id, role: "SHOPPER" } }).catch(
      (e) => e,
    );
    expect(isAppError(err, "forbidden")).toBe(true);
    await approveRequest({ requestId: request.id, actor: await support() });
    const result = await eraseSubject(request.id);

    expect(result.status).toBe("COMPLETED");
    expect(await holdings(a.user.id, a.subject)).toEqual({
      visits: 0,
      checkIns: 0,
      events: 0,
      states: 0,
      templates: 0,
      sessions: 0,
      users: 0,
    });
    expect(await db().verificationToken.count({ where: { identifier: a.user.email! } })).toBe(0);
    expect(await (await ready(redis("producer"))).exists(a.burst)).toBe(0);
    expect(existsSync(a.exportPath)).toBe(false);
    expect(Object.values(result.receipt!.remaining).every((n) => n === 0)).toBe(true);
    expect(result.receipt!.deleted).toMatchObject({
      visits: 1,
      checkIns: 1,
      consentEvents: 2,
      consentStates: 2,
      templates: 1,
      users: 1,
      redisKeys: 1,
      kioskEnrolments: 1,
      exportFiles: 1,
    });

    const tomb = await db().erasureTombstone.findUniqueOrThrow({ where: { requestId: request.id } });
    expect(tomb.subjectHash).toBe(subjectHash(a.user.email!));
    expect(JSON.stringify(tomb)).not.toContain(a.user.email!);
    const done = await db().dataRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(done).toMatchObject({ status: "COMPLETED", userId: null });

    expect(await holdings(b.user.id, b.subject)).toEqual(bBefore);
    expect(await (await ready(redis("producer"))).exists(b.burst)).toBe(1);
    expect(existsSync(b.exportPath)).toBe(true);
    expect(
      verifyLedger(await db().consentEvent.findMany({ where: { subject: b.subject }, orderBy: { id: "asc" } })).ok,
    ).toBe(true);
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("names the shopper in the audit trail only by a pseudonym that erasure makes unlinkable; the chain still verifies", async () => {
    const store = await makeStore();
    const a = await populatedShopper(store.slug, store.id);
    const b = await populatedShopper(store.slug, store.id);
    const request = await submitRequest({ userId: a.user.id, storeSlug: store.slug, kind: "ERASURE" });
    // While A exists, staff see A's whole trail, and it never holds A's user id or e-mail.
    const trail = ["consent.grant", "presence.check_in", "template.submit", "request.submit"];
    expect((await listSubjectTimeline(a.user.id)).map((r) => r.action)).toEqual(expect.arrayContaining(trail));
    expect(await auditRowsContaining(a.user.id)).toBe(0);
    expect(await auditRowsContaining(a.user.email!)).toBe(0);
    const pseudonymous = await db().auditLog.count({ where: { subject: a.subject } });
    expect(pseudonymous).toBeGreaterThanOrEqual(4);

    await approveRequest({ requestId: request.id, actor: await support() });
    expect((await eraseSubject(request.id)).status).toBe("COMPLETED");

    // The rows stay as they were (the chain verifies), but the key that linked them is gone.
    expect(await db().auditLog.count({ where: { subject: a.subject } })).toBe(pseudonymous);
    expect((await verifyAuditChain()).ok).toBe(true);
    expect(await db().subjectKey.count({ where: { OR: [{ userId: a.user.id }, { pseudonym: a.subject }] } })).toBe(0);
    expect(await listSubjectTimeline(a.user.id)).toEqual([]);
    expect(await auditRowsContaining(a.user.id)).toBe(0);
    expect(await auditRowsContaining(a.user.email!)).toBe(0);
    // Tombstone -> request -> the request's own records: none of them names the pseudonym.
    const tomb = await db().erasureTombstone.findUniqueOrThrow({ where: { requestId: request.id } });
    const row = await db().dataRequest.findUniqueOrThrow({ where: { id: request.id } });
    const own = await db().auditLog.findMany({ where: { targetType: "DataRequest", targetId: request.id } });
    expect(own.map((r) => r.action)).toEqual(["request.submit", "request.approve", "request.erased"]);
    const linked = JSON.stringify([tomb, row, own], (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    for (const needle of [a.subject, a.user.id, a.user.email!]) expect(linked).not.toContain(needle);

    // B is untouched: key, pseudonym and trail.
    expect(await existingPseudonym(b.user.id)).toBe(b.subject);
    expect((await listSubjectTimeline(b.user.id)).map((r) => r.action)).toEqual(
      expect.arrayContaining(["consent.grant", "presence.check_in", "template.submit"]),
    );
  });

  it("completes on a re-run after being killed mid-way, and a further run changes nothing", async () => {
    const store = await makeStore();
    const a = await populatedShopper(store.slug, store.id);
    const request = await submitRequest({ userId: a.user.id, storeSlug: store.slug, kind: "ERASURE" });
    await approveRequest({ requestId: request.id, actor: await support() });
    await expect(eraseSubject(request.id, { crashAfter: "consentEvents" })).rejects.toThrow(/simulated crash/);
    expect((await holdings(a.user.id, a.subject)).users).toBe(1);
    const second = await eraseSubject(request.id);
    expect(second.status).toBe("COMPLETED");
    expect(second.receipt!.deleted.consentEvents).toBe(2);
    expect(await holdings(a.user.id, a.subject)).toEqual({
      visits: 0,
      checkIns: 0,
      events: 0,
      states: 0,
      templates: 0,
      sessions: 0,
      users: 0,
    });
    const third = await eraseSubject(request.id);
    expect(third.receipt).toEqual(second.receipt);
    expect(await db().erasureTombstone.count({ where: { requestId: request.id } })).toBe(1);
  });

  it("a rejection needs a reason; another shopper cannot cancel the request", async () => {
    const store = await makeStore();
    const a = await makeUser();
    const b = await makeUser();
    const request = await submitRequest({ userId: a.id, storeSlug: store.slug, kind: "ERASURE" });
    expect(isAppError(await cancelRequest({ userId: b.id, requestId: request.id }).catch((e) => e), "not_found")).toBe(
      true,
    );
    const staff = await support();
    expect(
      isAppError(
        await rejectRequest({ requestId: request.id, reason: " ", actor: staff }).catch((e) => e),
        "invalid_input",
      ),
    ).toBe(true);
    await rejectRequest({
      requestId: request.id,
      reason: "We hold no data on this person at this store.",
      actor: staff,
    });
    expect(await db().dataRequest.findUniqueOrThrow({ where: { id: request.id } })).toMatchObject({
      status: "REJECTED",
      rejectionReason: "We hold no data on this person at this store.",
    });
  });
});
