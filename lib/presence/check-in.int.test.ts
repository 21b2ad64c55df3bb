import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { grantConsent } from "../consent/grant-consent.ts";
import { httpStatus, isAppError } from "../errors/app-error.ts";
import { checkIn } from "./check-in.ts";
import {
  PRESENCE_WINDOW_SECONDS,
  currentPresenceToken,
  presenceWindow,
  signPresenceToken,
  verifyPresenceToken,
} from "./presence-token.ts";

// Invariant 10 (second half): a check-in needs a presence token of the current or the previous
// 30 s window from that store's entrance display. Every refusal leaves no check-in row and no
// audit record of a check-in.
async function consentingShopper(storeSlug: string) {
  const user = await makeUser();
  await grantConsent({ userId: user.id, storeSlug, purpose: "recognition", noticeVersion: 1 });
  return user;
}

async function trail(userId: string, storeId: string) {
  const [checkIns, audits] = await Promise.all([
    db().checkIn.count({ where: { userId, storeId } }),
    db().auditLog.count({ where: { storeId, action: "presence.check_in" } }),
  ]);
  return { checkIns, audits };
}

async function refusedWith(code: string, run: () => Promise<unknown>) {
  const err = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(isAppError(err) ? err.code : err).toBe(code);
  return httpStatus(err);
}

const at = (window: number, intoWindowSeconds = 5) =>
  new Date((window * PRESENCE_WINDOW_SECONDS + intoWindowSeconds) * 1000);

describe("check-in needs a presence token from the store's entrance display", () => {
  it("accepts a token of the current window and of the previous one", async () => {
    const store = await makeStore();
    const now = new Date();
    const w = presenceWindow(now);
    const a = await consentingShopper(store.slug);
    const b = await consentingShopper(store.slug);
    await checkIn({ userId: a.id, storeSlug: store.slug, token: signPresenceToken(store.id, w), now });
    await checkIn({ userId: b.id, storeSlug: store.slug, token: signPresenceToken(store.id, w - 1), now });
    expect(await trail(a.id, store.id)).toEqual({ checkIns: 1, audits: 2 });
    expect((await trail(b.id, store.id)).checkIns).toBe(1);
  });

  it("refuses a forged or garbled token (403) and changes nothing", async () => {
    const store = await makeStore();
    const user = await consentingShopper(store.slug);
    const genuine = currentPresenceToken(store.id);
    const mac = genuine.split(".")[3]!;
    const flipped = `${mac.slice(0, -2)}${mac.at(-2) === "A" ? "B" : "A"}${mac.at(-1)}`;
    const forged = [
      "",
      "hello",
      genuine.slice(0, -1),
      `${genuine}x`,
      genuine.replace(/\.[^.]+$/, `.${flipped}`),
      // the right shape, but a MAC under a key that is not ours
      `p1.${store.id}.${presenceWindow()}.${Buffer.alloc(32, 7).toString("base64url")}`,
      // a genuine MAC moved to another window
      genuine.replace(`.${presenceWindow()}.`, `.${presenceWindow() + 1}.`),
      // a window that has not begun, genuinely signed (a display clock ahead is not a presence)
      signPresenceToken(store.id, presenceWindow() + 1),
    ];
    for (const token of forged) {
      expect(
        await refusedWith("presence_token_invalid", () => checkIn({ userId: user.id, storeSlug: store.slug, token })),
      ).toBe(403);
    }
    expect(await trail(user.id, store.id)).toEqual({ checkIns: 0, audits: 0 });
  });

  it("refuses another store's token (403) and changes nothing", async () => {
    const [here, there] = [await makeStore(), await makeStore()];
    const user = await consentingShopper(here.slug);
    const token = currentPresenceToken(there.id);
    expect(
      await refusedWith("presence_token_wrong_store", () => checkIn({ userId: user.id, storeSlug: here.slug, token })),
    ).toBe(403);
    expect(await trail(user.id, here.id)).toEqual({ checkIns: 0, audits: 0 });
  });

  it("refuses a token older than the previous window (410) and changes nothing", async () => {
    const store = await makeStore();
    const user = await consentingShopper(store.slug);
    const w = presenceWindow();
    for (const old of [w - 2, w - 3, w - 1000]) {
      const token = signPresenceToken(store.id, old);
      expect(
        await refusedWith("presence_token_expired", () => checkIn({ userId: user.id, storeSlug: store.slug, token })),
      ).toBe(410);
    }
    expect(await trail(user.id, store.id)).toEqual({ checkIns: 0, audits: 0 });
  });

  it("refuses a token replayed after it expired: the first use counts, the replay changes nothing", async () => {
    const store = await makeStore();
    const user = await consentingShopper(store.slug);
    const w = presenceWindow();
    const token = signPresenceToken(store.id, w);
    const first = await checkIn({ userId: user.id, storeSlug: store.slug, token, now: at(w) });
    // Still good in the next window, no longer in the one after.
    expect(verifyPresenceToken(token, store.id, at(w + 1)).window).toBe(w);
    expect(
      await refusedWith("presence_token_expired", () =>
        checkIn({ userId: user.id, storeSlug: store.slug, token, now: at(w + 2) }),
      ),
    ).toBe(410);
    expect(await trail(user.id, store.id)).toEqual({ checkIns: 1, audits: 1 });
    const row = await db().checkIn.findFirstOrThrow({ where: { userId: user.id, storeId: store.id } });
    expect(row).toMatchObject({ id: first.id, endedAt: null });
  });

  it("checks the token before consent: a shopper without consent learns only that the token is bad", async () => {
    const store = await makeStore();
    const user = await makeUser();
    await refusedWith("presence_token_invalid", () =>
      checkIn({ userId: user.id, storeSlug: store.slug, token: "p1.x.1.y" }),
    );
    await refusedWith("dependency_not_granted", () =>
      checkIn({ userId: user.id, storeSlug: store.slug, token: currentPresenceToken(store.id) }),
    );
    expect(await trail(user.id, store.id)).toEqual({ checkIns: 0, audits: 0 });
  });
});
