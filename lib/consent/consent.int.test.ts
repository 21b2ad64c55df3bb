import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RedisClient } from "../redis.ts";
import { db } from "../db.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";
import { channels, createRedis } from "../redis.ts";
import { isAppError } from "../errors/app-error.ts";
import { makeStore, makeUser, publishNotice } from "../../tests/fixtures.ts";
import { grantConsent } from "./grant-consent.ts";
import { revokeConsent } from "./revoke-consent.ts";
import { getConsentOverview } from "./get-consent-overview.ts";
import { buildConsentReceipt } from "./build-consent-receipt.ts";
import { verifyLedger } from "./ledger-hash.ts";
import type { ConsentChangedMessage } from "./publish-consent-changed.ts";

// Real PostgreSQL and Redis (the test runner gives this run its own database and key prefix).
let sub: RedisClient;
const received: ConsentChangedMessage[] = [];

async function nextMessages(n: number, timeoutMs = 3000): Promise<ConsentChangedMessage[]> {
  const deadline = Date.now() + timeoutMs;
  while (received.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return received.splice(0, n);
}

async function counts(userId: string) {
  const subject = (await existingPseudonym(userId)) ?? "none";
  const [events, states, audits] = await Promise.all([
    db().consentEvent.count({ where: { subject } }),
    db().consentState.count({ where: { userId } }),
    db().auditLog.count({ where: { action: { startsWith: "consent." }, subject } }),
  ]);
  return { events, states, audits };
}

beforeAll(async () => {
  sub = createRedis("subscriber");
  await sub.subscribe(channels.consentChanged());
  sub.on("message", (_ch, raw) => received.push(JSON.parse(raw) as ConsentChangedMessage));
});

afterAll(async () => {
  await sub.quit();
});

describe("grant and revoke against PostgreSQL and Redis", () => {
  it("grant then revoke updates ledger, projection and audit in step, and publishes each change", async () => {
    const store = await makeStore();
    const user = await makeUser();
    received.length = 0;

    await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
    let state = await db().consentState.findUniqueOrThrow({
      where: { userId_storeId_purposeCode: { userId: user.id, storeId: store.id, purposeCode: "recognition" } },
    });
    expect(state.status).toBe("GRANTED");
    expect(state.noticeVersion).toBe(1);
    expect(await nextMessages(1)).toEqual([
      { userId: user.id, storeId: store.id, purpose: "recognition", action: "GRANT" },
    ]);

    await revokeConsent({ userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
    state = await db().consentState.findUniqueOrThrow({
      where: { userId_storeId_purposeCode: { userId: user.id, storeId: store.id, purposeCode: "recognition" } },
    });
    expect(state.status).toBe("REVOKED");
    expect(await nextMessages(1)).toEqual([
      { userId: user.id, storeId: store.id, purpose: "recognition", action: "REVOKE" },
    ]);

    const events = await db().consentEvent.findMany({
      where: { subject: (await existingPseudonym(user.id))! },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => e.action)).toEqual(["GRANT", "REVOKE"]);
    expect(events[1]!.prevHash).toBe(events[0]!.hash);
    expect(verifyLedger(events).ok).toBe(true);
    expect(state.lastEventId).toBe(events[1]!.id);
    expect(await counts(user.id)).toEqual({ events: 2, states: 1, audits: 2 });
  });

  it("refuses a purpose or store that does not exist, with a clear error, changing nothing", async () => {
    const store = await makeStore();
    const user = await makeUser();
    received.length = 0;
    const before = await counts(user.id);
    const attempts = [
      { storeSlug: "no-such-store", purpose: "recognition", code: "unknown_store" },
      { storeSlug: store.slug, purpose: "face-sales", code: "unknown_purpose" },
      { storeSlug: store.slug, purpose: "footfall", code: "purpose_not_consentable" },
    ];
    for (const a of attempts) {
      const err = await grantConsent({
        userId: user.id,
        storeSlug: a.storeSlug,
        purpose: a.purpose,
        noticeVersion: 1,
      }).catch((e) => e);
      expect(isAppError(err, a.code as never), `${a.purpose}@${a.storeSlug}`).toBe(true);
      expect((err as Error).message).toMatch(/not found|unknown purpose|needs no consent/);
    }
    expect(await counts(user.id)).toEqual(before);
    expect(await nextMessages(1, 300)).toEqual([]);
  });

  it("refuses a grant against a notice version the shopper was not shown", async () => {
    const store = await makeStore();
    const user = await makeUser();
    await publishNotice(store.id, 2, true);
    const err = await grantConsent({
      userId: user.id,
      storeSlug: store.slug,
      purpose: "recognition",
      noticeVersion: 1,
    }).catch((e) => e);
    expect(isAppError(err, "stale_notice")).toBe(true);
    expect(await counts(user.id)).toEqual({ events: 0, states: 0, audits: 0 });
  });

  it("demographics needs recognition, and revoking recognition revokes demographics too", async () => {
    const store = await makeStore();
    const user = await makeUser();
    const cmd = { userId: user.id, storeSlug: store.slug, noticeVersion: 1 };
    const err = await grantConsent({ ...cmd, purpose: "demographics" }).catch((e) => e);
    expect(isAppError(err, "dependency_not_granted")).toBe(true);

    await grantConsent({ ...cmd, purpose: "recognition" });
    await grantConsent({ ...cmd, purpose: "demographics" });
    const revoked = await revokeConsent({ ...cmd, purpose: "recognition" });
    expect(revoked.map((e) => e.purposeCode).sort()).toEqual(["demographics", "recognition"]);
    const overview = await getConsentOverview(user.id, store.slug);
    expect(overview.purposes).toEqual([
      { purpose: "recognition", status: "revoked", noticeVersion: 1 },
      { purpose: "demographics", status: "revoked", noticeVersion: 1 },
    ]);
  });

  it("a new material notice makes an old grant lapse until re-granted; an editorial one does not", async () => {
    const store = await makeStore();
    const user = await makeUser();
    await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
    await publishNotice(store.id, 2, false);
    expect((await getConsentOverview(user.id, store.slug)).purposes[0]!.status).toBe("granted");
    await publishNotice(store.id, 3, true);
    expect((await getConsentOverview(user.id, store.slug)).purposes[0]!.status).toBe("lapsed");
    await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 3 });
    expect((await getConsentOverview(user.id, store.slug)).purposes[0]!.status).toBe("granted");
  });

  it("the ledger is append-only: updates and deletes are refused by the database", async () => {
    const store = await makeStore();
    const user = await makeUser();
    await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
    const subject = (await existingPseudonym(user.id))!;
    const ev = await db().consentEvent.findFirstOrThrow({ where: { subject } });
    await expect(db().consentEvent.update({ where: { id: ev.id }, data: { action: "REVOKE" } })).rejects.toThrow(
      /append_only/,
    );
    await expect(db().consentEvent.delete({ where: { id: ev.id } })).rejects.toThrow(/append_only/);
    await expect(db().$executeRaw`TRUNCATE "ConsentEvent"`).rejects.toThrow(/append_only/);
    expect(await db().consentEvent.count({ where: { subject } })).toBe(1);
  });

  it("a receipt is only given to the shopper it belongs to", async () => {
    const store = await makeStore();
    const alice = await makeUser();
    const bob = await makeUser();
    const [ev] = await grantConsent({
      userId: alice.id,
      storeSlug: store.slug,
      purpose: "recognition",
      noticeVersion: 1,
    });
    const receipt = await buildConsentReceipt(alice.id, ev!.id.toString());
    expect(receipt.event.type).toBe("given");
    expect(receipt.pii_controllers[0]!.name).toBe("Test Controller");
    expect(receipt.proof.chain_verified).toBe(true);
    const err = await buildConsentReceipt(bob.id, ev!.id.toString()).catch((e) => e);
    expect(isAppError(err, "not_found")).toBe(true);
  });
});
