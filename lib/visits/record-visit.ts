import { randomUUID } from "node:crypto";
import { db } from "../db.ts";

export type VisitCandidate = {
  userId: string;
  storeId: string;
  cameraId: string;
  frameId: string;
  faceIndex: number;
  seenAt: Date;
  score: number;
  ageBand?: string | null;
  gender?: string | null;
};

/**
 * Inserts a visit only if, at this instant, the shopper's recognition consent at the store is in
 * force (granted against the latest material notice), the store has recognition on, the template
 * is enrolled, and, in a presence-gated store, the shopper is checked in (invariant 3). The consent
 * row is read FOR SHARE, so a revocation that is committing waits for us or we see its result:
 * a job that raced a revocation or a check-out writes nothing. Age band and gender are kept only
 * while demographics consent is in force too (invariant 4). Idempotent per (frame, face).
 */
export async function recordVisit(v: VisitCandidate): Promise<{ inserted: boolean }> {
  // veil_consent_in_force() (migration 20261202140014) reads the consent row FOR SHARE.
  const rows = await db().$queryRaw<{ id: string }[]>`
    WITH demographics AS (SELECT veil_consent_in_force(${v.userId}, ${v.storeId}, 'demographics') AS ok)
    INSERT INTO "Visit" ("id", "userId", "storeId", "cameraId", "frameId", "faceIndex", "seenAt", "score", "ageBand", "gender")
    SELECT ${randomUUID()}, ${v.userId}, s.id, ${v.cameraId}, ${v.frameId}, ${v.faceIndex}, ${v.seenAt}, ${v.score},
      CASE WHEN d.ok THEN ${v.ageBand ?? null}::text END,
      CASE WHEN d.ok THEN ${v.gender ?? null}::text END
    FROM "Store" s, demographics d
    WHERE s.id = ${v.storeId} AND s."recognitionEnabled"
      AND veil_consent_in_force(${v.userId}, ${v.storeId}, 'recognition')
      AND EXISTS (SELECT 1 FROM "FaceTemplate" t WHERE t."userId" = ${v.userId} AND t.status = 'ENROLLED')
      AND (s."recognitionMode" = 'ALWAYS' OR EXISTS (
        SELECT 1 FROM "CheckIn" c
        WHERE c."userId" = ${v.userId} AND c."storeId" = s.id AND c."endedAt" IS NULL
          AND c."startedAt" <= now() AND c."expiresAt" > now()
        FOR SHARE OF c))
    ON CONFLICT ("frameId", "faceIndex") DO NOTHING
    RETURNING id`;
  return { inserted: rows.length === 1 };
}
