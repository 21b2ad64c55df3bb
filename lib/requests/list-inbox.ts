import { db } from "../db.ts";
import type { RequestKind } from "./submit-request.ts";
import { OPEN_STATUSES, isOpen } from "./request-status.ts";

export type InboxFilter = { status?: string; kind?: RequestKind; store?: string };

/** Requests by due date (the extended one when given), overdue and due within 3 days flagged. */
export async function listInbox(filter: InboxFilter = {}, now = new Date()) {
  const rows = await db().dataRequest.findMany({
    where: {
      status: filter.status ? (filter.status as never) : { in: [...OPEN_STATUSES] },
      kind: filter.kind,
      store: filter.store ? { slug: filter.store } : undefined,
    },
    include: { store: { select: { slug: true, name: true } } },
    take: 500,
  });
  return rows
    .map((r) => {
      const due = r.extendedDueAt ?? r.dueAt;
      const open = isOpen(r.status);
      return { ...r, due, overdue: open && due < now, dueSoon: open && due >= now && due.getTime() - now.getTime() < 3 * 86_400_000 };
    })
    .sort((a, b) => a.due.getTime() - b.due.getTime());
}
