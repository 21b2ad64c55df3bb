import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";
import { subjectTimelineFilter } from "../audit/list-subject-timeline.ts";

/** Timeline events per page of a request: a shopper of many years still gets a small page. */
export const TIMELINE_PER_PAGE = 25;

/**
 * A request for the support console: counts of what is held (never biometric data) and one page
 * of the timeline, newest first (`timelinePage`, from 1; past the last page reads as the last),
 * with its total: the shopper's audit trail while they exist, the request's own records after.
 */
export async function getRequestDetail(requestId: string, { timelinePage = 1 }: { timelinePage?: number } = {}) {
  const r = await db().dataRequest.findUnique({ where: { id: requestId }, include: { store: true } });
  if (!r) throw new AppError("not_found", "request not found");
  const subject = r.userId ? ((await existingPseudonym(r.userId)) ?? "") : "";
  const where = r.userId ? await subjectTimelineFilter(r.userId) : { targetType: "DataRequest", targetId: r.id };
  const [timeline, held] = await Promise.all([
    where ? pageOfTimeline(where, timelinePage) : { rows: [], total: 0, page: 1, pages: 1 },
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

async function pageOfTimeline(where: NonNullable<Awaited<ReturnType<typeof subjectTimelineFilter>>>, asked: number) {
  const total = await db().auditLog.count({ where });
  const pages = Math.max(1, Math.ceil(total / TIMELINE_PER_PAGE));
  const page = Math.min(Math.max(1, asked), pages);
  const rows = await db().auditLog.findMany({
    where,
    orderBy: { id: "desc" },
    skip: (page - 1) * TIMELINE_PER_PAGE,
    take: TIMELINE_PER_PAGE,
  });
  return { rows, total, page, pages };
}
