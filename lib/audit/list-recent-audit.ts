import { db } from "../db.ts";

/**
 * Most recent audit records for the staff console (ids and codes only, never personal data), each
 * with the time zone of its store (UTC for a record of no store), so it reads on the same clock as
 * the request page shows it.
 */
export async function listRecentAudit(opts: { limit: number; storeId?: string }) {
  const rows = await db().auditLog.findMany({
    where: opts.storeId ? { storeId: opts.storeId } : undefined,
    orderBy: { id: "desc" },
    take: Math.min(Math.max(opts.limit, 1), 500),
  });
  const ids = [...new Set(rows.flatMap((r) => (r.storeId ? [r.storeId] : [])))];
  const zones = new Map(
    (await db().store.findMany({ where: { id: { in: ids } }, select: { id: true, timezone: true } })).map((s) => [
      s.id,
      s.timezone,
    ]),
  );
  return rows.map((r) => ({ ...r, id: r.id.toString(), timezone: (r.storeId && zones.get(r.storeId)) || "UTC" }));
}
