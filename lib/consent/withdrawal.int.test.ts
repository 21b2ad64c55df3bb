// Withdrawal deletes what the purpose produced (GDPR art. 17(1)(b), PIPL art. 47), at that store
// only, for that shopper only, in the withdrawal's transaction; receipt, "My data" and audit say so.
import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { isAppError } from "../errors/app-error.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { grantConsent } from "./grant-consent.ts";
import { revokeConsent } from "./revoke-consent.ts";
import { buildConsentReceipt } from "./build-consent-receipt.ts";
import { collectSubjectData } from "../requests/collect-subject-data.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";
import { sealTemplate } from "../templates/template-codec.ts";

type Store = Awaited<ReturnType<typeof makeStore>>;

/** A shopper with both purposes granted and two visits with age band and gender at each store. */
async function shopperWithVisits(stores: Store[]) {
  const user = await makeUser();
  await db().faceTemplate.create({
    data: {
      userId: user.id,
      status: "ENROLLED",
      ...sealTemplate(user.id, new Float32Array(512).fill(0.04)),
      modelVersion: "t",
    },
  });
  for (const s of stores) {
    await grantConsent({ userId: user.id, storeSlug: s.slug, purpose: "recognition", noticeVersion: 1 });
    await grantConsent({ userId: user.id, storeSlug: s.slug, purpose: "demographics", noticeVersion: 1 });
    for (let i = 0; i < 2; i++) {
      await db().visit.create({
        data: {
          userId: user.id,
          storeId: s.id,
          firstSeenAt: new Date(Date.now() - (i + 1) * 86_400_000),
          lastSeenAt: new Date(Date.now() - (i + 1) * 86_400_000 + 600_000),
          cameraIds: ["cam"],
          sightings: 4,
          score: 0.9,
          ageBand: "25-34",
          gender: "female",
          demographicVotes: { ageBand: { "25-34": 2 }, gender: { female: 2 }, order: ["a:25-34", "g:female"] },
        },
      });
    }
  }
  return user;
}

const visitsOf = (userId: string, storeId: string) =>
  db().visit.findMany({
    where: { userId, storeId },
    orderBy: { id: "asc" },
    select: { id: true, ageBand: true, gender: true, demographicVotes: true, sightings: true },
  });

async function revokeAudit(userId: string, storeId: string, purpose: string) {
  const subject = (await existingPseudonym(userId))!;
  const row = await db().auditLog.findFirstOrThrow({
    where: { subject, storeId, action: "consent.revoke", details: { path: ["purpose"], equals: purpose } },
    orderBy: { id: "desc" },
  });
  return row.details as { withdrawal?: { visitsDeleted: number; demographicsCleared: number } };
}

describe("withdrawal deletes what the purpose produced", () => {
  it("revoking demographics clears age band and gender from the shopper's visits at that store only", async () => {
    const [s, t] = [await makeStore(), await makeStore()];
    const a = await shopperWithVisits([s, t]);
    const b = await shopperWithVisits([s]);
    const bBefore = await visitsOf(b.id, s.id);
    const aAtT = await visitsOf(a.id, t.id);

    const [event] = await revokeConsent({ userId: a.id, storeSlug: s.slug, purpose: "demographics", noticeVersion: 1 });
    expect(event!.effects).toEqual({ visitsDeleted: 0, demographicsCleared: 2 });

    const aAtS = await visitsOf(a.id, s.id);
    expect(aAtS).toHaveLength(2);
    // The votes they were computed from go too; the stays themselves remain.
    expect(aAtS.map((v) => [v.ageBand, v.gender, v.demographicVotes, v.sightings])).toEqual([
      [null, null, null, 4],
      [null, null, null, 4],
    ]);
    expect(await visitsOf(a.id, t.id)).toEqual(aAtT);
    expect(await visitsOf(b.id, s.id)).toEqual(bBefore);

    expect((await revokeAudit(a.id, s.id, "demographics")).withdrawal).toEqual({
      visitsDeleted: 0,
      demographicsCleared: 2,
    });
    const receipt = await buildConsentReceipt(a.id, event!.id.toString());
    expect(receipt.event).toMatchObject({
      type: "withdrawn",
      data_deleted: { visits_deleted: 0, visits_demographics_cleared: 2 },
    });
    const mine = await collectSubjectData(a.id);
    expect(mine.withdrawals).toEqual([
      expect.objectContaining({ storeName: s.name, purpose: "demographics", visitsDeleted: 0, demographicsCleared: 2 }),
    ]);
  });

  it("revoking recognition deletes the shopper's visits at that store by default; other stores and shoppers keep theirs", async () => {
    const [s, t] = [await makeStore(), await makeStore()];
    const a = await shopperWithVisits([s, t]);
    const b = await shopperWithVisits([s]);
    const bBefore = await visitsOf(b.id, s.id);
    const aAtT = await visitsOf(a.id, t.id);

    const events = await revokeConsent({ userId: a.id, storeSlug: s.slug, purpose: "recognition", noticeVersion: 1 });
    // recognition, then demographics by cascade (nothing left to clear once the visits are gone)
    expect(events.map((e) => [e.purposeCode, e.effects])).toEqual([
      ["recognition", { visitsDeleted: 2, demographicsCleared: 0 }],
      ["demographics", { visitsDeleted: 0, demographicsCleared: 0 }],
    ]);
    expect(await visitsOf(a.id, s.id)).toEqual([]);
    expect(await visitsOf(a.id, t.id)).toEqual(aAtT);
    expect(await visitsOf(b.id, s.id)).toEqual(bBefore);
    // Recognition still granted at t: the template stays.
    expect(await db().faceTemplate.count({ where: { userId: a.id } })).toBe(1);

    expect((await revokeAudit(a.id, s.id, "recognition")).withdrawal).toEqual({
      visitsDeleted: 2,
      demographicsCleared: 0,
    });
    const receipt = await buildConsentReceipt(a.id, events[0]!.id.toString());
    expect(receipt.event).toMatchObject({ data_deleted: { visits_deleted: 2, visits_demographics_cleared: 0 } });
    expect((await collectSubjectData(a.id)).withdrawals).toEqual([
      expect.objectContaining({ purpose: "recognition", visitsDeleted: 2 }),
    ]);
  });

  it("keeping the visits is refused where the law requires deletion, changing nothing; allowed under CCPA, demographics still cleared", async () => {
    const gdpr = await makeStore({ jurisdiction: "GDPR" });
    const a = await shopperWithVisits([gdpr]);
    const before = await visitsOf(a.id, gdpr.id);
    const err = await revokeConsent({
      userId: a.id,
      storeSlug: gdpr.slug,
      purpose: "recognition",
      noticeVersion: 1,
      keepVisits: true,
    }).catch((e) => e);
    expect(isAppError(err, "invalid_input")).toBe(true);
    expect(await visitsOf(a.id, gdpr.id)).toEqual(before);
    expect(await db().consentState.count({ where: { userId: a.id, storeId: gdpr.id, status: "GRANTED" } })).toBe(2);

    const ccpa = await makeStore({ jurisdiction: "CCPA" });
    const c = await shopperWithVisits([ccpa]);
    const events = await revokeConsent({
      userId: c.id,
      storeSlug: ccpa.slug,
      purpose: "recognition",
      noticeVersion: 1,
      keepVisits: true,
    });
    expect(events.map((e) => e.effects)).toEqual([
      { visitsDeleted: 0, demographicsCleared: 0 },
      { visitsDeleted: 0, demographicsCleared: 2 },
    ]);
    const kept = await visitsOf(c.id, ccpa.id);
    expect(kept).toHaveLength(2);
    expect(kept.every((v) => v.ageBand === null && v.gender === null && v.demographicVotes === null)).toBe(true);
  });
});
