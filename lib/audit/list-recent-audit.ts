import { db } from "../db.ts";

/** Most recent audit records for the staff console (ids and codes only, never personal data). */
export async function listRecentAudit(opts: { limit: number; storeId?: string }) {
  const rows = await db().auditLog.findMany({
    where: opts.storeId ? { storeId: opts.storeId } : undefined,
    orderBy: { id: "desc" },
    take: Math.min(Math.max(opts.limit, 1), 500),
  });
  return rows.map((r) => ({ ...r, id: r.id.toString() }));
}
