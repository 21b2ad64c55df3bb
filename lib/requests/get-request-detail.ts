import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";

/** A request for the support console: its timeline and counts of what is held (never biometric data). */
export async function getRequestDetail(requestId: string) {
  const r = await db().dataRequest.findUnique({ where: { id: requestId }, include: { store: true } });
  if (!r) throw new AppError("not_found", "request not found");
  const [timeline, held] = await Promise.all([
    db().auditLog.findMany({ where: { targetType: "DataRequest", targetId: r.id }, orderBy: { id: "asc" } }),
    r.userId
      ? Promise.all([
          db().consentEvent.count({ where: { userId: r.userId } }),
          db().visit.count({ where: { userId: r.userId } }),
          db().faceTemplate.count({ where: { userId: r.userId } }),
          db().checkIn.count({ where: { userId: r.userId } }),
        ]).then(([consentEvents, visits, templates, checkIns]) => ({ consentEvents, visits, templates, checkIns }))
      : Promise.resolve(null),
  ]);
  return { request: r, timeline, held };
}
