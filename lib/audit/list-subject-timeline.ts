import { db } from "../db.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";

/**
 * Every audit record about one living shopper, oldest first: the records naming their pseudonym
 * and those of their data requests (which carry no pseudonym, so that an erased request and its
 * tombstone lead to nothing else). Once the shopper is erased neither link exists any more.
 */
export async function listSubjectTimeline(userId: string, limit = 1000) {
  const [subject, requests] = await Promise.all([
    existingPseudonym(userId),
    db().dataRequest.findMany({ where: { userId }, select: { id: true } }),
  ]);
  const or: object[] = [];
  if (subject) or.push({ subject });
  if (requests.length) or.push({ targetType: "DataRequest", targetId: { in: requests.map((r) => r.id) } });
  if (!or.length) return [];
  return db().auditLog.findMany({
    where: { OR: or },
    orderBy: { id: "asc" },
    take: Math.min(Math.max(limit, 1), 5000),
  });
}
