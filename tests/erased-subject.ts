// The journeys' proof that erasure worked, shared by workers/journey.int.test.ts (vitest) and
// e2e/rights/journey.spec.ts (Playwright): what the leftover scanner finds of an erased shopper
// and where it finds one who was not erased. Plain data, so each runner asserts with its own expect.
import { db } from "../lib/db.ts";
import { scanLeftovers, type Hit, type Needles } from "../lib/erasure/scan-leftovers.ts";

export type Subject = Needles & { pseudonym: string };

// The one trace an erased shopper may leave: their pseudonym in the audit log, whose key erasure
// destroyed, so it can no longer be recomputed or tied to anyone.
const keylessTrail = (h: Hit) => h.store === "postgres" && h.location === "AuditLog" && h.needle === "pseudonym";

/**
 * What remains of an erased shopper. Erasure worked when this equals
 * `{ linked: [], keylessTrails: 1, subjectKeys: 0 }`: no row, Redis key or file names them, the audit
 * trail is still there but keyless.
 */
export async function remainsOf(s: Subject): Promise<{ linked: Hit[]; keylessTrails: number; subjectKeys: number }> {
  const { hits } = await scanLeftovers(s);
  return {
    linked: hits.filter((h) => !keylessTrail(h)),
    keylessTrails: hits.filter(keylessTrail).length,
    subjectKeys: await db().subjectKey.count({ where: { pseudonym: s.pseudonym } }),
  };
}

/** The tables every shopper who went through the whole journey has rows in. */
export const JOURNEY_TABLES = [
  "User",
  "SubjectKey",
  "ConsentEvent",
  "ConsentState",
  "FaceTemplate",
  "Visit",
  "CheckIn",
  "DataRequest",
  "AuditLog",
] as const;

/**
 * Where a shopper who was not erased is found (`store:location`, e.g. `postgres:Visit`,
 * `file:exports/…`), and which of JOURNEY_TABLES hold nothing of them (none, when they are intact).
 */
export async function whereIs(s: Subject): Promise<{ where: Set<string>; missingTables: string[] }> {
  const { hits } = await scanLeftovers(s);
  const where = new Set(hits.map((h) => `${h.store}:${h.location}`));
  return { where, missingTables: JOURNEY_TABLES.filter((t) => !where.has(`postgres:${t}`)) };
}
