import { describe, expect, it } from "vitest";
import { changeMindOften, makeStore, makeUser } from "../../tests/fixtures.ts";
import { grantConsent } from "./grant-consent.ts";
import { getConsentOverview, HISTORY_PER_PAGE } from "./get-consent-overview.ts";

// The consent page's history is paged like the visits on /me: a shopper who changed their mind
// every day for years still gets a small page, with the total.
describe("consent history, a page at a time", () => {
  it("gives 20 events per page, newest first, with the total; past the end, an empty page", async () => {
    const store = await makeStore();
    const other = await makeStore();
    const user = await makeUser();
    const cmd = { userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 };
    await changeMindOften(cmd, 13);
    // Another store's events are not this store's history.
    await grantConsent({ ...cmd, storeSlug: other.slug });

    expect(HISTORY_PER_PAGE).toBe(20);
    const first = await getConsentOverview(user.id, store.slug);
    expect(first.historyCount).toBe(26);
    expect(first.history).toHaveLength(20);
    expect(first.history[0]!.action).toBe("REVOKE");
    const second = await getConsentOverview(user.id, store.slug, { historyPage: 2 });
    expect(second.historyCount).toBe(26);
    expect(second.history).toHaveLength(6);
    expect(second.history.at(-1)!.action).toBe("GRANT");
    // The two pages together are the whole history, each event once, newest first.
    const ids = [...first.history, ...second.history].map((h) => BigInt(h.id));
    expect(new Set(ids).size).toBe(26);
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));
    expect((await getConsentOverview(user.id, store.slug, { historyPage: 3 })).history).toEqual([]);
    expect((await getConsentOverview(user.id, other.slug)).historyCount).toBe(1);
  });
});
