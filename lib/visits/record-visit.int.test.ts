import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { makeStore, makeUser, publishNotice } from "../../tests/fixtures.ts";
import { grantConsent } from "../consent/grant-consent.ts";
import { revokeConsent } from "../consent/revoke-consent.ts";
import { checkInWithToken } from "../../tests/presence.ts";
import { checkOut } from "../presence/check-out.ts";
import { sealTemplate } from "../templates/template-codec.ts";
import { recordVisit, type VisitCandidate } from "./record-visit.ts";
import { until } from "../../tests/until.ts";

async function enrolledShopper(storeSlug: string) {
  const user = await makeUser();
  const emb = new Float32Array(512).fill(1 / Math.sqrt(512));
  await db().faceTemplate.create({
    data: { userId: user.id, status: "ENROLLED", ...sealTemplate(user.id, emb), modelVersion: "test" },
  });
  await grantConsent({ userId: user.id, storeSlug, purpose: "recognition", noticeVersion: 1 });
  return user;
}

function candidate(userId: string, storeId: string, extra: Partial<VisitCandidate> = {}): VisitCandidate {
  return {
    userId,
    storeId,
    cameraId: "cam_test",
    frameId: randomUUID(),
    faceIndex: 0,
    seenAt: new Date(),
    score: 0.8,
    ageBand: "25-34",
    gender: "female",
    ...extra,
  };
}

describe("visit insert checks consent at the instant of writing (invariant 3)", () => {
  it("presence-gated: writes only while checked in, and once per (frame, face)", async () => {
    const store = await makeStore();
    const user = await enrolledShopper(store.slug);
    expect((await recordVisit(candidate(user.id, store.id))).inserted).toBe(false);

    await checkInWithToken({ userId: user.id, storeSlug: store.slug });
    const c = candidate(user.id, store.id);
    expect((await recordVisit(c)).inserted).toBe(true);
    expect((await recordVisit(c)).inserted).toBe(false); // retry of the same job
    await checkOut({ userId: user.id, storeSlug: store.slug });
    expect((await recordVisit(candidate(user.id, store.id))).inserted).toBe(false);
    expect(await db().visit.count({ where: { userId: user.id } })).toBe(1);
  });

  it("after a committed revocation nothing is written; a lapsed grant counts as none", async () => {
    const store = await makeStore();
    await db().store.update({ where: { id: store.id }, data: { recognitionMode: "ALWAYS" } });
    const user = await enrolledShopper(store.slug);
    expect((await recordVisit(candidate(user.id, store.id))).inserted).toBe(true);
    await revokeConsent({ userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
    expect((await recordVisit(candidate(user.id, store.id))).inserted).toBe(false);

    const other = await enrolledShopper(store.slug);
    await publishNotice(store.id, 2, true);
    expect((await recordVisit(candidate(other.id, store.id))).inserted).toBe(false);
  });

  it("a visit racing a revocation that is committing waits for it and writes nothing", async () => {
    const store = await makeStore();
    await db().store.update({ where: { id: store.id }, data: { recognitionMode: "ALWAYS" } });
    const user = await enrolledShopper(store.slug);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: (pid: number) => void;
    const revokerPid = new Promise<number>((r) => (locked = r));
    // A revocation that has updated the projection but not yet committed.
    const revoking = db().$transaction(
      async (tx) => {
        await tx.consentState.update({
          where: { userId_storeId_purposeCode: { userId: user.id, storeId: store.id, purposeCode: "recognition" } },
          data: { status: "REVOKED" },
        });
        locked((await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]!.pid);
        await held;
      },
      { timeout: 50_000 },
    );
    const pid = await revokerPid;
    const c = candidate(user.id, store.id);
    const visit = recordVisit(c);
    // Ordered by PostgreSQL itself, not by sleeping: the visit statement is seen waiting on a lock
    // held by the revoking transaction. Without the FOR SHARE on the consent row it never waits.
    const blocked = await until(
      "the visit insert to wait on the revocation's lock",
      async () =>
        (
          await db().$queryRaw<{ pid: number; blockers: number[] }[]>`
            SELECT pid, pg_blocking_pids(pid) AS blockers FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO "Visit"%'`
        ).find((r) => r.blockers.includes(pid)),
      20_000,
      20,
    );
    expect(blocked.blockers).toContain(pid);
    release();
    await revoking;
    expect((await visit).inserted).toBe(false);
    expect(await db().visit.count({ where: { userId: user.id } })).toBe(0);
  });

  it("keeps age band and gender only with demographics consent (invariant 4)", async () => {
    const store = await makeStore();
    await db().store.update({ where: { id: store.id }, data: { recognitionMode: "ALWAYS" } });
    const user = await enrolledShopper(store.slug);
    const a = candidate(user.id, store.id);
    await recordVisit(a);
    expect(await db().visit.findFirstOrThrow({ where: { frameId: a.frameId } })).toMatchObject({
      ageBand: null,
      gender: null,
    });
    await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "demographics", noticeVersion: 1 });
    const b = candidate(user.id, store.id);
    await recordVisit(b);
    expect(await db().visit.findFirstOrThrow({ where: { frameId: b.frameId } })).toMatchObject({
      ageBand: "25-34",
      gender: "female",
    });
  });

  it("writes nothing when the store has recognition off or the shopper has no enrolled template", async () => {
    const store = await makeStore({ recognitionEnabled: false });
    await db().store.update({ where: { id: store.id }, data: { recognitionMode: "ALWAYS" } });
    const user = await enrolledShopper(store.slug);
    expect((await recordVisit(candidate(user.id, store.id))).inserted).toBe(false);
    const store2 = await makeStore();
    await db().store.update({ where: { id: store2.id }, data: { recognitionMode: "ALWAYS" } });
    const bare = await makeUser();
    await grantConsent({ userId: bare.id, storeSlug: store2.slug, purpose: "recognition", noticeVersion: 1 });
    expect((await recordVisit(candidate(bare.id, store2.id))).inserted).toBe(false);
  });
});
