import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { DWELL_BINS, type DwellBin } from "../tracking/dwell.ts";
import { Prisma } from "../generated/prisma/client.ts";
import { dashboardRange, datesOf, localDate, type DateRange } from "./dashboard-range.ts";
import { inLocalDays, localDay, localTime } from "./local-day-sql.ts";
import { storeZone } from "../stores/store-zone.ts";

export type DashboardHour = { hour: number; entries: number; faces: number; maxOccupancy: number };
export type DashboardDay = {
  date: string;
  entries: number;
  grants: number;
  revocations: number;
  accessRequests: number;
  erasureRequests: number;
};
export type Dashboard = Awaited<ReturnType<typeof getDashboard>>;

const n = (v: bigint | number | null | undefined) => Number(v ?? 0);

/**
 * Numbers for the staff dashboard of one store over whole days of its own clock: aggregates only,
 * nothing that identifies a person. Minute buckets (recent) and hour buckets (rolled up) are
 * disjoint, so each counter is their sum; each camera's occupancy is its largest count in the
 * hour, and the store's is the sum over its cameras (an upper bound where views overlap). Hour
 * buckets start on the UTC hour, so in a zone with a half-hour offset a rolled-up hour counts in
 * the local hour it starts in.
 */
export async function getDashboard(opts: { storeSlug?: string; from?: string; to?: string; now?: Date }) {
  const store = opts.storeSlug
    ? await db().store.findUnique({ where: { slug: opts.storeSlug } })
    : await db().store.findFirst({ orderBy: { name: "asc" } });
  if (!store) {
    if (opts.storeSlug) throw new AppError("unknown_store", "dashboard store not found");
    return null;
  }
  const tz = storeZone(store.timezone);
  const today = localDate(opts.now ?? new Date(), tz);
  const range: DateRange = dashboardRange({ from: opts.from, to: opts.to }, today);
  const bucketStart = Prisma.sql`b."bucketStart"`;
  const occurredAt = Prisma.sql`e."occurredAt"`;
  const receivedAt = Prisma.sql`r."receivedAt"`;

  const [buckets, consent, requests, consentRates, byStatus, onTime] = await Promise.all([
    db().$queryRaw<
      {
        day: string;
        hour: number;
        entries: bigint;
        exits: bigint;
        line_in: bigint;
        line_out: bigint;
        faces: bigint;
        frames: bigint;
        not_analysed: bigint;
        motion_skipped: bigint;
        occupancy: bigint;
        d0: bigint;
        d1: bigint;
        d2: bigint;
        d3: bigint;
        d4: bigint;
      }[]
    >`
      WITH per_camera AS (
        SELECT b."cameraId",
               date_trunc('hour', ${localTime(bucketStart, tz)}) AS hour,
               SUM(b.entries) AS entries, SUM(b.exits) AS exits, SUM(b."lineIn") AS line_in,
               SUM(b."lineOut") AS line_out, SUM(b.faces) AS faces, SUM(b.frames) AS frames,
               SUM(b."notAnalysed") AS not_analysed, SUM(b."motionSkipped") AS motion_skipped,
               MAX(b."maxOccupancy") AS occupancy,
               SUM(b."dwellUnder1m") AS d0, SUM(b."dwell1to5m") AS d1, SUM(b."dwell5to15m") AS d2,
               SUM(b."dwell15to30m") AS d3, SUM(b."dwellOver30m") AS d4
        FROM "FootfallBucket" b
        WHERE b."storeId" = ${store.id}
          AND ${inLocalDays(bucketStart, tz, range)}
        GROUP BY 1, 2
      )
      SELECT to_char(hour, 'YYYY-MM-DD') AS day, EXTRACT(HOUR FROM hour)::int AS hour,
             SUM(entries) AS entries, SUM(exits) AS exits, SUM(line_in) AS line_in, SUM(line_out) AS line_out,
             SUM(faces) AS faces, SUM(frames) AS frames, SUM(not_analysed) AS not_analysed,
             SUM(motion_skipped) AS motion_skipped, SUM(occupancy) AS occupancy,
             SUM(d0) AS d0, SUM(d1) AS d1, SUM(d2) AS d2, SUM(d3) AS d3, SUM(d4) AS d4
      FROM per_camera GROUP BY hour ORDER BY hour`,
    db().$queryRaw<{ day: string; grants: bigint; revocations: bigint }[]>`
      SELECT ${localDay(occurredAt, tz)} AS day,
             COUNT(*) FILTER (WHERE e.action = 'GRANT') AS grants,
             COUNT(*) FILTER (WHERE e.action = 'REVOKE') AS revocations
      FROM "ConsentEvent" e
      WHERE e."storeId" = ${store.id}
        AND ${inLocalDays(occurredAt, tz, range)}
      GROUP BY 1`,
    db().$queryRaw<{ day: string; access: bigint; erasure: bigint }[]>`
      SELECT ${localDay(receivedAt, tz)} AS day,
             COUNT(*) FILTER (WHERE r.kind = 'ACCESS') AS access,
             COUNT(*) FILTER (WHERE r.kind = 'ERASURE') AS erasure
      FROM "DataRequest" r
      WHERE r."storeId" = ${store.id}
        AND ${inLocalDays(receivedAt, tz, range)}
      GROUP BY 1`,
    db().$queryRaw<{ purpose: string; granted: bigint; total: bigint }[]>`
      SELECT c."purposeCode" AS purpose, COUNT(*) FILTER (WHERE c.status = 'GRANTED') AS granted, COUNT(*) AS total
      FROM "ConsentState" c WHERE c."storeId" = ${store.id} GROUP BY 1 ORDER BY 1`,
    db().dataRequest.groupBy({ by: ["status"], where: { storeId: store.id }, _count: { _all: true } }),
    db().$queryRaw<{ done: bigint; in_time: bigint }[]>`
      SELECT COUNT(*) AS done, COUNT(*) FILTER (WHERE "completedAt" <= COALESCE("extendedDueAt", "dueAt")) AS in_time
      FROM "DataRequest" WHERE "storeId" = ${store.id} AND status IN ('COMPLETED', 'REJECTED')`,
  ]);

  // Hour of the day (0..23) over the whole range: people summed, occupancy the largest seen.
  const hours: DashboardHour[] = Array.from({ length: 24 }, (_, hour) => ({
    hour,
    entries: 0,
    faces: 0,
    maxOccupancy: 0,
  }));
  const dwell = Object.fromEntries(DWELL_BINS.map((b) => [b.key, 0])) as Record<DwellBin, number>;
  const totals = {
    entries: 0,
    exits: 0,
    lineIn: 0,
    lineOut: 0,
    faces: 0,
    frames: 0,
    notAnalysed: 0,
    motionSkipped: 0,
  };
  const entriesByDay = new Map<string, number>();
  for (const r of buckets) {
    const h = hours[r.hour]!;
    h.entries += n(r.entries);
    h.faces += n(r.faces);
    h.maxOccupancy = Math.max(h.maxOccupancy, n(r.occupancy));
    entriesByDay.set(r.day, (entriesByDay.get(r.day) ?? 0) + n(r.entries));
    totals.entries += n(r.entries);
    totals.exits += n(r.exits);
    totals.lineIn += n(r.line_in);
    totals.lineOut += n(r.line_out);
    totals.faces += n(r.faces);
    totals.frames += n(r.frames);
    totals.notAnalysed += n(r.not_analysed);
    totals.motionSkipped += n(r.motion_skipped);
    [r.d0, r.d1, r.d2, r.d3, r.d4].forEach((v, i) => (dwell[DWELL_BINS[i]!.key] += n(v)));
  }
  const consentByDay = new Map(consent.map((c) => [c.day, c]));
  const requestsByDay = new Map(requests.map((r) => [r.day, r]));
  const days: DashboardDay[] = datesOf(range).map((date) => ({
    date,
    entries: entriesByDay.get(date) ?? 0,
    grants: n(consentByDay.get(date)?.grants),
    revocations: n(consentByDay.get(date)?.revocations),
    accessRequests: n(requestsByDay.get(date)?.access),
    erasureRequests: n(requestsByDay.get(date)?.erasure),
  }));
  // Frames a worker handled (analysed or skipped by the motion gate) plus those that expired first.
  const accepted = totals.frames + totals.notAnalysed;
  return {
    store: { slug: store.slug, name: store.name, timezone: tz },
    range,
    today,
    hours,
    days,
    dwell: DWELL_BINS.map((b) => ({ bin: b.key, count: dwell[b.key] })),
    totals: {
      ...totals,
      accepted,
      notAnalysedShare: accepted ? totals.notAnalysed / accepted : null,
      motionSkippedShare: totals.frames ? totals.motionSkipped / totals.frames : null,
    },
    consentRates: consentRates.map((r) => ({ purpose: r.purpose, granted: n(r.granted), total: n(r.total) })),
    requestsByStatus: byStatus.map((r) => ({ status: r.status, count: r._count._all })),
    onTime: { done: n(onTime[0]?.done), inTime: n(onTime[0]?.in_time) },
  };
}
