import { Prisma } from "../generated/prisma/client.ts";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { lockSubject } from "../subjects/subject-lock.ts";
import { addVote, majority, type DemographicVotes } from "./demographic-votes.ts";

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

export type VisitOutcome = {
  /** The sighting was written: it opened a visit or extended the open one. */
  inserted: boolean;
  /** The visit it belongs to (also for a retried sighting already counted); null when refused. */
  visitId: string | null;
};

/** Sightings remembered per visit so that a retried job is not counted twice. */
const RECENT_SIGHTINGS = 32;

/**
 * Records one sighting of a recognised shopper as part of a stay (issue 16): it extends the
 * shopper's visit at the store whose first..last sighting is within VISIT_GAP_MINUTES of it, or
 * opens a new visit. Written only if, at this instant, the shopper's recognition consent at the
 * store is in force (granted against the latest material notice), the store has recognition on,
 * the template is enrolled, no erasure of the shopper is under way and, in a presence-gated store,
 * the shopper is checked in (invariant 3). Those rows are read FOR SHARE and held until commit, so
 * a revocation or check-out that is committing waits for us or we see its result: a sighting that
 * raced it writes nothing, and the stay is not extended. Age band and gender are voted over the
 * stay and kept only while demographics consent is in force too (invariant 4). The shopper's lock
 * serialises concurrent sightings (two workers never open two visits) and orders them with
 * erasure. Idempotent per (frame, face).
 */
export async function recordVisit(v: VisitCandidate): Promise<VisitOutcome> {
  const gapMs = env().VISIT_GAP_MINUTES * 60_000;
  const sighting = `${v.frameId}:${v.faceIndex}`;
  return db().$transaction(async (tx) => {
    await lockSubject(tx, v.userId);
    // veil_consent_in_force() (migration 20261202140014) reads the consent row FOR SHARE.
    const gate = await tx.$queryRaw<{ demographics: boolean }[]>`
      SELECT /* veil:visit-gate */ veil_consent_in_force(${v.userId}, s.id, 'demographics') AS demographics
      FROM "Store" s
      WHERE s.id = ${v.storeId} AND s."recognitionEnabled"
        AND veil_consent_in_force(${v.userId}, s.id, 'recognition')
        AND EXISTS (
          SELECT 1 FROM "FaceTemplate" t WHERE t."userId" = ${v.userId} AND t.status = 'ENROLLED' FOR SHARE OF t)
        AND NOT EXISTS (
          SELECT 1 FROM "DataRequest" r WHERE r."userId" = ${v.userId} AND r.kind = 'ERASURE'
            AND r.status IN ('APPROVED', 'IN_PROGRESS', 'FAILED'))
        AND (s."recognitionMode" = 'ALWAYS' OR EXISTS (
          SELECT 1 FROM "CheckIn" c
          WHERE c."userId" = ${v.userId} AND c."storeId" = s.id AND c."endedAt" IS NULL
            AND c."startedAt" <= now() AND c."expiresAt" > now()
          FOR SHARE OF c))
      FOR SHARE OF s`;
    if (gate.length === 0) return { inserted: false, visitId: null };
    const demographics = gate[0]!.demographics;
    const estimate = demographics && v.ageBand && v.gender ? { ageBand: v.ageBand, gender: v.gender } : null;

    const [open] = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Visit"
      WHERE "userId" = ${v.userId} AND "storeId" = ${v.storeId}
        AND "lastSeenAt" >= ${new Date(v.seenAt.getTime() - gapMs)}::timestamp
        AND "firstSeenAt" <= ${new Date(v.seenAt.getTime() + gapMs)}::timestamp
      ORDER BY "lastSeenAt" DESC LIMIT 1
      FOR UPDATE`;
    if (!open) {
      const votes = estimate ? addVote(null, estimate) : null;
      const created = await tx.visit.create({
        data: {
          userId: v.userId,
          storeId: v.storeId,
          firstSeenAt: v.seenAt,
          lastSeenAt: v.seenAt,
          cameraIds: [v.cameraId],
          sightings: 1,
          score: v.score,
          ...(votes ? { ...majority(votes), demographicVotes: votes } : {}),
          recentSightings: [sighting],
        },
        select: { id: true },
      });
      return { inserted: true, visitId: created.id };
    }

    const visit = await tx.visit.findUniqueOrThrow({ where: { id: open.id } });
    if (visit.recentSightings.includes(sighting)) return { inserted: false, visitId: visit.id };
    // Without demographics in force nothing of it stays on the visit, votes included.
    const prev = demographics ? (visit.demographicVotes as DemographicVotes | null) : null;
    const votes = estimate ? addVote(prev, estimate) : prev;
    await tx.visit.update({
      where: { id: visit.id },
      data: {
        firstSeenAt: v.seenAt < visit.firstSeenAt ? v.seenAt : visit.firstSeenAt,
        lastSeenAt: v.seenAt > visit.lastSeenAt ? v.seenAt : visit.lastSeenAt,
        cameraIds: visit.cameraIds.includes(v.cameraId) ? visit.cameraIds : [...visit.cameraIds, v.cameraId],
        sightings: { increment: 1 },
        score: Math.max(visit.score, v.score),
        ...(votes
          ? { ...majority(votes), demographicVotes: votes }
          : { ageBand: null, gender: null, demographicVotes: Prisma.DbNull }),
        recentSightings: [...visit.recentSightings, sighting].slice(-RECENT_SIGHTINGS),
      },
    });
    return { inserted: true, visitId: visit.id };
  }, TX);
}

// A sighting may wait on a revocation or check-out that is committing (and on the shopper's lock).
const TX = { maxWait: 10_000, timeout: 30_000 };
