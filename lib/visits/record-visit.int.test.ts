import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { makeStore, makeUser, publishNotice } from "../../tests/fixtures.ts";
import { grantConsent } from "../consent/grant-consent.ts";
import { revokeConsent } from "../consent/revoke-consent.ts";
import { checkInWithToken } from "../../tests/presence.ts";
import { checkOut } from "../presence/check-out.ts";
import { sealTemplate } from "../templates/template-codec.ts";
import { recordVisit, type VisitCandidate } from "./record-visit.ts";
import { MAX_DEMOGRAPHIC_VOTES } from "./demographic-votes.ts";
import { until } from "../../tests/until.ts";

const MIN = 60_000;

async function enrolledShopper(storeSlug: string) {
  const user = await makeUser();
  const emb = new Float32Array(512).fill(1 / Math.sqrt(512));
  await db().faceTemplate.create({
    data: { userId: user.id, status: "ENROLLED", ...sealTemplate(user.id, emb), modelVersion: "test" },
  });
  await grantConsent({ userId: user.id, storeSlug, purpose: "recognition", noticeVersion: 1 });
  return user;
}

async function alwaysOnStore(jurisdiction?: "GDPR" | "CCPA") {
  const store = await makeStore({ jurisdiction });
  await db().store.update({ where: { id: store.id }, data: { recognitionMode: "ALWAYS" } });
  return store;
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

const visitsOf = (userId: string) => db().visit.findMany({ where: { userId }, orderBy: { firstSeenAt: "asc" } });

describe("visit insert checks consent at the instant of writing (invariant 3)", () => {
  it("presence-gated: writes only while checked in; a retried sighting is counted once", async () => {
    const store = await makeStore();
    const user = await enrolledShopper(store.slug);
    expect(await recordVisit(candidate(user.id, store.id))).toEqual({ inserted: false, visitId: null });

    await checkInWithToken({ userId: user.id, storeSlug: store.slug });
    const c = candidate(user.id, store.id);
    const first = await recordVisit(c);
    expect(first.inserted).toBe(true);
    expect(await recordVisit(c)).toEqual({ inserted: false, visitId: first.visitId }); // retry of the same job
    await checkOut({ userId: user.id, storeSlug: store.slug });
    expect((await recordVisit(candidate(user.id, store.id))).inserted).toBe(false);
    expect((await visitsOf(user.id)).map((v) => v.sightings)).toEqual([1]);
  });

  it("after a committed revocation nothing is written; a lapsed grant counts as none", async () => {
    const store = await alwaysOnStore();
    const user = await enrolledShopper(store.slug);
    expect((await recordVisit(candidate(user.id, store.id))).inserted).toBe(true);
    await revokeConsent({ userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
    expect((await recordVisit(candidate(user.id, store.id))).inserted).toBe(false);
    expect(await db().visit.count({ where: { userId: user.id } })).toBe(0); // deleted by the withdrawal

    const other = await enrolledShopper(store.slug);
    await publishNotice(store.id, 2, true);
    expect((await recordVisit(candidate(other.id, store.id))).inserted).toBe(false);
  });

  it("a visit racing a revocation that is committing waits for it and writes nothing", async () => {
    const store = await alwaysOnStore();
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
    const visit = recordVisit(candidate(user.id, store.id));
    // Ordered by PostgreSQL itself, not by sleeping: the visit's consent check is seen waiting on a
    // lock held by the revoking transaction. Without the FOR SHARE on the consent row it never waits.
    const blocked = await until(
      "the visit's consent check to wait on the revocation's lock",
      async () =>
        (
          await db().$queryRaw<{ pid: number; blockers: number[] }[]>`
            SELECT pid, pg_blocking_pids(pid) AS blockers FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%veil:visit-gate%'`
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

  it("writes nothing when the store has recognition off, the shopper has no enrolled template, or their erasure is approved", async () => {
    const store = await makeStore({ recognitionEnabled: false });
    await db().store.update({ where: { id: store.id }, data: { recognitionMode: "ALWAYS" } });
    const user = await enrolledShopper(store.slug);
    expect((await recordVisit(candidate(user.id, store.id))).inserted).toBe(false);
    const store2 = await alwaysOnStore();
    const bare = await makeUser();
    await grantConsent({ userId: bare.id, storeSlug: store2.slug, purpose: "recognition", noticeVersion: 1 });
    expect((await recordVisit(candidate(bare.id, store2.id))).inserted).toBe(false);

    // Erasure deletes the visits before the template and consents: a sighting in between must not
    // leave a new visit behind.
    const erased = await enrolledShopper(store2.slug);
    expect((await recordVisit(candidate(erased.id, store2.id))).inserted).toBe(true);
    await db().dataRequest.create({
      data: { userId: erased.id, storeId: store2.id, kind: "ERASURE", status: "IN_PROGRESS", dueAt: new Date() },
    });
    await db().visit.deleteMany({ where: { userId: erased.id } });
    expect((await recordVisit(candidate(erased.id, store2.id))).inserted).toBe(false);
    expect(await db().visit.count({ where: { userId: erased.id } })).toBe(0);
  });
});

describe("a visit is a stay (issue 16)", () => {
  it("sightings within the gap extend one visit: first and last seen, distinct cameras, count, best score", async () => {
    const store = await alwaysOnStore();
    const user = await enrolledShopper(store.slug);
    const t0 = Date.now() - 60 * MIN;
    // Nine sightings over 40 minutes, never more than 5 minutes apart, one arriving late (out of order).
    const offsets = [0, 5, 10, 15, 20, 25, 30, 40, 35];
    const cameras = ["door", "door", "aisle", "till", "door", "aisle", "till", "door", "till"];
    let visitId: string | null = null;
    for (const [i, m] of offsets.entries()) {
      const r = await recordVisit(
        candidate(user.id, store.id, { seenAt: new Date(t0 + m * MIN), cameraId: cameras[i]!, score: 0.7 + i / 100 }),
      );
      expect(r.inserted).toBe(true);
      visitId ??= r.visitId;
      expect(r.visitId).toBe(visitId);
    }
    // A sighting just before the first one, within the gap, moves the start back.
    await recordVisit(candidate(user.id, store.id, { seenAt: new Date(t0 - 3 * MIN), cameraId: "door", score: 0.5 }));
    const [visit, ...rest] = await visitsOf(user.id);
    expect(rest).toEqual([]);
    expect(visit).toMatchObject({
      id: visitId,
      firstSeenAt: new Date(t0 - 3 * MIN),
      lastSeenAt: new Date(t0 + 40 * MIN),
      cameraIds: ["door", "aisle", "till"],
      sightings: 10,
      score: 0.7 + 8 / 100, // the best of the stay
    });
  });

  it("a sighting more than VISIT_GAP_MINUTES after the last one opens a second visit", async () => {
    const store = await alwaysOnStore();
    const user = await enrolledShopper(store.slug);
    const gap = env().VISIT_GAP_MINUTES * MIN;
    expect(env().VISIT_GAP_MINUTES).toBe(10);
    const t0 = Date.now() - 3 * gap;
    const a = await recordVisit(candidate(user.id, store.id, { seenAt: new Date(t0) }));
    const b = await recordVisit(candidate(user.id, store.id, { seenAt: new Date(t0 + gap) })); // exactly the gap: same stay
    const c = await recordVisit(candidate(user.id, store.id, { seenAt: new Date(t0 + 2 * gap + 1000) }));
    expect(b.visitId).toBe(a.visitId);
    expect(c.inserted).toBe(true);
    expect(c.visitId).not.toBe(a.visitId);
    expect((await visitsOf(user.id)).map((v) => [v.firstSeenAt, v.lastSeenAt, v.sightings])).toEqual([
      [new Date(t0), new Date(t0 + gap), 2],
      [new Date(t0 + 2 * gap + 1000), new Date(t0 + 2 * gap + 1000), 1],
    ]);
    // Another store's sightings are another stay.
    const other = await alwaysOnStore();
    await grantConsent({ userId: user.id, storeSlug: other.slug, purpose: "recognition", noticeVersion: 1 });
    const d = await recordVisit(candidate(user.id, other.id, { seenAt: new Date(t0) }));
    expect([a.visitId, c.visitId]).not.toContain(d.visitId);
  });

  it("sightings of one shopper from parallel workers open one visit, each counted once", async () => {
    const store = await alwaysOnStore();
    const user = await enrolledShopper(store.slug);
    const n = 12;
    const seenAt = new Date();
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        recordVisit(candidate(user.id, store.id, { seenAt, cameraId: `cam_${i % 3}`, faceIndex: i })),
      ),
    );
    expect(results.every((r) => r.inserted)).toBe(true);
    const visits = await visitsOf(user.id);
    expect(visits.map((v) => [v.sightings, [...v.cameraIds].sort()])).toEqual([[n, ["cam_0", "cam_1", "cam_2"]]]);
  });

  it("a revocation mid-stay stops the visit from being extended; so does a check-out", async () => {
    // CCPA: the shopper may keep their visits on withdrawal, so the stay is still there to look at.
    const store = await alwaysOnStore("CCPA");
    const user = await enrolledShopper(store.slug);
    const t0 = Date.now() - 5 * MIN;
    for (let i = 0; i < 3; i++) await recordVisit(candidate(user.id, store.id, { seenAt: new Date(t0 + i * MIN) }));
    const before = await visitsOf(user.id);
    expect(before.map((v) => v.sightings)).toEqual([3]);
    await revokeConsent({
      userId: user.id,
      storeSlug: store.slug,
      purpose: "recognition",
      noticeVersion: 1,
      keepVisits: true,
    });
    expect(await recordVisit(candidate(user.id, store.id, { seenAt: new Date(t0 + 3 * MIN) }))).toEqual({
      inserted: false,
      visitId: null,
    });
    expect(await visitsOf(user.id)).toEqual(before);

    const gated = await makeStore();
    const shopper = await enrolledShopper(gated.slug);
    await checkInWithToken({ userId: shopper.id, storeSlug: gated.slug });
    await recordVisit(candidate(shopper.id, gated.id, { seenAt: new Date(t0) }));
    const stay = await visitsOf(shopper.id);
    await checkOut({ userId: shopper.id, storeSlug: gated.slug });
    expect((await recordVisit(candidate(shopper.id, gated.id, { seenAt: new Date(t0 + MIN) }))).inserted).toBe(false);
    expect(await visitsOf(shopper.id)).toEqual(stay);
  });
});

describe("age band and gender over the stay, only with demographics consent (invariant 4)", () => {
  it("are the majority of the stay's first votes, not the last estimate", async () => {
    const store = await alwaysOnStore();
    const user = await enrolledShopper(store.slug);
    await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "demographics", noticeVersion: 1 });
    const t0 = Date.now() - 10 * MIN;
    const estimates: [string, string][] = [
      ["55-64", "male"],
      ["35-44", "female"],
      ["45-54", "female"],
      ["35-44", "female"],
      ["65+", "male"],
      // past MAX_DEMOGRAPHIC_VOTES: no longer counted
      ["65+", "male"],
      ["65+", "male"],
    ];
    for (const [i, [ageBand, gender]] of estimates.entries()) {
      await recordVisit(candidate(user.id, store.id, { seenAt: new Date(t0 + i * MIN), ageBand, gender }));
    }
    const [visit] = await visitsOf(user.id);
    expect(visit).toMatchObject({ sightings: estimates.length, ageBand: "35-44", gender: "female" });
    const votes = visit!.demographicVotes as { gender: Record<string, number> };
    expect(Object.values(votes.gender).reduce((a, b) => a + b, 0)).toBe(MAX_DEMOGRAPHIC_VOTES);
  });

  it("are kept only while demographics consent is in force; revoking it clears them and their votes", async () => {
    const store = await alwaysOnStore();
    const user = await enrolledShopper(store.slug);
    const t0 = Date.now() - 10 * MIN;
    await recordVisit(candidate(user.id, store.id, { seenAt: new Date(t0) }));
    expect((await visitsOf(user.id))[0]).toMatchObject({ ageBand: null, gender: null, demographicVotes: null });

    await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "demographics", noticeVersion: 1 });
    await recordVisit(candidate(user.id, store.id, { seenAt: new Date(t0 + MIN) }));
    expect((await visitsOf(user.id))[0]).toMatchObject({ sightings: 2, ageBand: "25-34", gender: "female" });

    await revokeConsent({ userId: user.id, storeSlug: store.slug, purpose: "demographics", noticeVersion: 1 });
    expect((await visitsOf(user.id))[0]).toMatchObject({ ageBand: null, gender: null, demographicVotes: null });
    // The stay goes on; the estimate the worker still sent is not kept.
    await recordVisit(candidate(user.id, store.id, { seenAt: new Date(t0 + 2 * MIN), ageBand: "65+", gender: "male" }));
    expect((await visitsOf(user.id))[0]).toMatchObject({
      sightings: 3,
      ageBand: null,
      gender: null,
      demographicVotes: null,
    });

    // A grant that lapsed (material notice change) drops the votes already on the open visit.
    const other = await enrolledShopper(store.slug);
    await grantConsent({ userId: other.id, storeSlug: store.slug, purpose: "demographics", noticeVersion: 1 });
    await grantConsent({ userId: other.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
    await recordVisit(candidate(other.id, store.id, { seenAt: new Date(t0) }));
    expect((await visitsOf(other.id))[0]).toMatchObject({ ageBand: "25-34" });
    await db().consentState.update({
      where: { userId_storeId_purposeCode: { userId: other.id, storeId: store.id, purposeCode: "demographics" } },
      data: { noticeVersion: 0 },
    });
    await recordVisit(candidate(other.id, store.id, { seenAt: new Date(t0 + MIN) }));
    expect((await visitsOf(other.id))[0]).toMatchObject({ sightings: 2, ageBand: null, demographicVotes: null });
  });
});
