// The auditors' CSV is streamed in pages: however long the ledger, every event comes out once,
// in order, the same whatever the page size (it used to stop silently at 100,000 rows).
import { describe, expect, it } from "vitest";
import { changeMindOften, makeStore, makeUser } from "../../tests/fixtures.ts";
import { grantConsent } from "./grant-consent.ts";
import { CONSENT_CSV_HEADER, exportConsentCsv } from "./export-consent-csv.ts";

async function collect(gen: AsyncGenerator<string>): Promise<string> {
  let out = "";
  for await (const chunk of gen) out += chunk;
  return out;
}

describe("exportConsentCsv", () => {
  it("streams every event of the store once, in order, across page boundaries", async () => {
    const store = await makeStore();
    const other = await makeStore();
    const user = await makeUser();
    const cmd = { userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 };
    await changeMindOften(cmd, 3, true); // 7 events at this store
    await grantConsent({ ...cmd, storeSlug: other.slug }); // and one elsewhere, not exported

    const paged = await collect(exportConsentCsv({ storeSlug: store.slug, pageSize: 2 }));
    const whole = await collect(exportConsentCsv({ storeSlug: store.slug, pageSize: 1000 }));
    expect(paged).toBe(whole);
    const lines = paged.trimEnd().split("\n");
    expect(lines[0]).toBe(CONSENT_CSV_HEADER.join(","));
    const rows = lines.slice(1).map((l) => l.split(","));
    expect(rows).toHaveLength(7);
    expect(rows.map((r) => r[4])).toEqual(["GRANT", "REVOKE", "GRANT", "REVOKE", "GRANT", "REVOKE", "GRANT"]);
    const ids = rows.map((r) => BigInt(r[0]!));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(rows.map((r) => r[2]))).toEqual(new Set([store.id]));
    expect(paged).not.toContain(user.id);
    expect(paged).not.toContain(user.email!);
  });
});
