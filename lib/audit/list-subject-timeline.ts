import { db } from "../db.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";

/**
 * Which audit records are about one living shopper: the records naming their pseudonym and those
 * of their data requests (which carry no pseudonym, so that an erased request and its tombstone
 * lead to nothing else). Null when there are none: once the shopper is erased neither link exists.
 */
export async function subjectTimelineFilter(userId: string): Promise<Prisma.AuditLogWhereInput | null> {
  const [subject, requests] = await Promise.all([
    existingPseudonym(userId),
    db().dataRequest.findMany({ where: { userId }, select: { id: true } }),
  ]);
  const or: Prisma.AuditLogWhereInput[] = [];
  if (subject) or.push({ subject });
  if (requests.length) or.push({ targetType: "DataRequest", targetId: { in: requests.map((r) => r.id) } });
  return or.length ? { OR: or } : null;
}

/** Every audit record about one living shopper, oldest first (at most `limit`). */
export async function listSubjectTimeline(userId: string, limit = 1000) {
  const where = await subjectTimelineFilter(userId);
  if (!where) return [];
  return db().auditLog.findMany({ where, orderBy: { id: "asc" }, take: Math.min(Math.max(limit, 1), 5000) });
}
