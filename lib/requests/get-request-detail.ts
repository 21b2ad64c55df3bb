import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";
import { listSubjectTimeline } from "../audit/list-subject-timeline.ts";

/**
 * A request for the support console: counts of what is held (never biometric data) and the
 * timeline: the shopper's complete audit trail while they exist, the request's own records after.
 */
export async function getRequestDetail(requestId: string) {
  const r = await db().dataRequest.findUnique({ where: { id: requestId }, include: { store: true } });
  if (!r) throw new AppError("not_found", "request not found");
  const subject = r.userId ? ((await existingPseudonym(r.userId)) ?? "") : "";
  const [timeline, held] = await Promise.all([
    r.userId
      ? listSubjectTimeline(r.userId)
      : db().auditLog.findMany({ where: { targetType: "DataRequest", targetId: r.id }, orderBy: { id: "asc" } }),
    r.userId
      ? Promise.all([
          db().consentEvent.count({ where: { subject } }),
          db().visit.count({ where: { userId: r.userId } }),
          db().faceTemplate.count({ where: { userId: r.userId } }),
          db().checkIn.count({ where: { userId: r.userId } }),
        ]).then(([consentEvents, visits, templates, checkIns]) => ({ consentEvents, visits, templates, checkIns }))
      : Promise.resolve(null),
  ]);
  return { request: r, timeline, held };
}
