import { db } from "../db.ts";

// China's 2025 face-recognition measures require a filing once a controller stores the faces of
// 100,000 people; admins are warned from 90% of that.
export const FILING_THRESHOLD = 100_000;
export const WARN_AT = 90_000;

/**
 * Enrolled templates per controller (shoppers with recognition granted at any of its stores).
 * Deliberately not veil_consent_in_force(): the filing counts faces stored, and a grant that lapsed
 * with a new notice still has its template stored (docs/decisions/0001).
 */
export async function countEnrolledByController(): Promise<{ controller: string; people: number; warn: boolean }[]> {
  const rows = await db().$queryRaw<{ controller: string; people: bigint }[]>`
    SELECT s."controllerName" AS controller, COUNT(DISTINCT t."userId") AS people
    FROM "FaceTemplate" t
    JOIN "ConsentState" c ON c."userId" = t."userId" AND c."purposeCode" = 'recognition' AND c.status = 'GRANTED'
    JOIN "Store" s ON s.id = c."storeId"
    WHERE t.status = 'ENROLLED'
    GROUP BY s."controllerName"
    ORDER BY people DESC`;
  return rows.map((r) => ({ controller: r.controller, people: Number(r.people), warn: Number(r.people) >= WARN_AT }));
}
