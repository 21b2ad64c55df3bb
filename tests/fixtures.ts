// Builders for integration tests against the real test database. Each call makes fresh rows with
// random slugs and e-mails, so tests never depend on each other or on the seed.
import { randomUUID } from "node:crypto";
import { db } from "../lib/db.ts";
import { LOCALES } from "../lib/i18n/locales.ts";
import { defaultNoticeText } from "../lib/notices/default-notice-text.ts";
import { grantConsent } from "../lib/consent/grant-consent.ts";
import { revokeConsent } from "../lib/consent/revoke-consent.ts";
import type { ConsentCommand } from "../lib/consent/record-consent-event.ts";

export async function ensurePurposes(): Promise<void> {
  const rows = [
    { code: "footfall", requiresConsent: false, dependsOn: null, sortOrder: 0 },
    { code: "recognition", requiresConsent: true, dependsOn: null, sortOrder: 1 },
    { code: "demographics", requiresConsent: true, dependsOn: "recognition", sortOrder: 2 },
  ];
  for (const r of rows) await db().purpose.upsert({ where: { code: r.code }, create: r, update: {} });
}

export async function makeStore(
  overrides: { recognitionEnabled?: boolean; jurisdiction?: "GDPR" | "CCPA" | "PIPL" | "BIPA" | "OTHER" } = {},
) {
  await ensurePurposes();
  const slug = `t-${randomUUID().slice(0, 8)}`;
  const store = await db().store.create({
    data: {
      slug,
      name: `Test store ${slug}`,
      controllerName: "Test Controller",
      controllerContact: "privacy@test.invalid",
      recognitionEnabled: overrides.recognitionEnabled ?? true,
      jurisdiction: overrides.jurisdiction ?? "GDPR",
    },
  });
  await publishNotice(store.id, 1, true);
  return store;
}

export async function publishNotice(storeId: string, version: number, material: boolean) {
  const store = await db().store.findUniqueOrThrow({ where: { id: storeId } });
  return db().notice.create({
    data: {
      storeId,
      version,
      material,
      texts: { create: LOCALES.map((locale) => ({ locale, ...defaultNoticeText(store, locale) })) },
    },
  });
}

export async function makeUser(role: "SHOPPER" | "SUPPORT" | "ADMIN" = "SHOPPER") {
  return db().user.create({ data: { email: `${role.toLowerCase()}-${randomUUID()}@test.invalid`, role } });
}

/**
 * A shopper who keeps changing their mind: `cmd`'s purpose granted then revoked `pairs` times, and
 * granted once more when `endGranted` (2 × pairs + 1 ledger events, the last a grant): a long
 * consent history for tests of paging and export.
 */
export async function changeMindOften(cmd: ConsentCommand, pairs: number, endGranted = false): Promise<void> {
  for (let i = 0; i < pairs; i++) {
    await grantConsent(cmd);
    await revokeConsent(cmd);
  }
  if (endGranted) await grantConsent(cmd);
}
