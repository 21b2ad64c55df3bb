import { db } from "../db.ts";

/** Numbers for the staff dashboard; all aggregates, nothing that identifies a person. */
export async function getDashboard(now = new Date()) {
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const twoWeeks = new Date(now.getTime() - 14 * 86_400_000);
  const [hourly, daily, visits, consent, requests, onTime] = await Promise.all([
    db().$queryRaw<{ store: string; hour: Date; faces: bigint; frames: bigint }[]>`
      SELECT s.name AS store, date_trunc('hour', b."bucketStart") AS hour, SUM(b.faces) AS faces, SUM(b.frames) AS frames
      FROM "FootfallBucket" b JOIN "Store" s ON s.id = b."storeId"
      WHERE b."bucketStart" >= ${dayAgo} GROUP BY 1, 2 ORDER BY 1, 2`,
    db().$queryRaw<{ store: string; day: Date; faces: bigint }[]>`
      SELECT s.name AS store, date_trunc('day', b."bucketStart") AS day, SUM(b.faces) AS faces
      FROM "FootfallBucket" b JOIN "Store" s ON s.id = b."storeId"
      WHERE b."bucketStart" >= ${twoWeeks} GROUP BY 1, 2 ORDER BY 1, 2`,
    // Recognised visits are stays (issue 16): one per stay, on the day it began, however many
    // sightings it has.
    db().$queryRaw<{ store: string; day: Date; visits: bigint }[]>`
      SELECT s.name AS store, date_trunc('day', v."firstSeenAt") AS day, COUNT(*) AS visits
      FROM "Visit" v JOIN "Store" s ON s.id = v."storeId"
      WHERE v."firstSeenAt" >= ${twoWeeks}::timestamp GROUP BY 1, 2 ORDER BY 1, 2`,
    db().$queryRaw<{ store: string; purpose: string; granted: bigint; total: bigint }[]>`
      SELECT s.name AS store, c."purposeCode" AS purpose, COUNT(*) FILTER (WHERE c.status = 'GRANTED') AS granted, COUNT(*) AS total
      FROM "ConsentState" c JOIN "Store" s ON s.id = c."storeId" GROUP BY 1, 2 ORDER BY 1, 2`,
    db().dataRequest.groupBy({ by: ["status"], _count: { _all: true } }),
    db().$queryRaw<{ done: bigint; in_time: bigint }[]>`
      SELECT COUNT(*) AS done, COUNT(*) FILTER (WHERE "completedAt" <= COALESCE("extendedDueAt", "dueAt")) AS in_time
      FROM "DataRequest" WHERE status IN ('COMPLETED', 'REJECTED')`,
  ]);
  const n = (v: bigint | number) => Number(v);
  return {
    hourly: hourly.map((r) => ({ store: r.store, at: r.hour, faces: n(r.faces), frames: n(r.frames) })),
    daily: daily.map((r) => ({ store: r.store, at: r.day, faces: n(r.faces) })),
    visits: visits.map((r) => ({ store: r.store, at: r.day, visits: n(r.visits) })),
    consent: consent.map((r) => ({ store: r.store, purpose: r.purpose, granted: n(r.granted), total: n(r.total) })),
    requests: requests.map((r) => ({ status: r.status, count: r._count._all })),
    onTime: { done: n(onTime[0]?.done ?? 0), inTime: n(onTime[0]?.in_time ?? 0) },
  };
}
