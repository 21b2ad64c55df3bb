import { db } from "../db.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import type { RequestStatus } from "../generated/prisma/enums.ts";
import type { RequestKind } from "./submit-request.ts";
import { OPEN_STATUSES, isOpen } from "./request-status.ts";

export type InboxFilter = {
  status?: RequestStatus;
  kind?: RequestKind;
  store?: string;
  /** Part of a request reference (its id), as a shopper reads it out from My data. */
  id?: string;
  /** Only requests assigned to this staff member, or only those nobody has taken. */
  assignee?: { staffId: string } | "unassigned";
  page?: number;
};

export const INBOX_PAGE_SIZE = 25;
const DUE_SOON_MS = 3 * 86_400_000;

/**
 * One page of the support inbox, soonest deadline first (the extended one when given), so overdue
 * and due-soon requests lead; with the total and a count per status for the same kind/store/id/
 * assignee filter, so staff see how much waits where before they pick a status.
 */
export async function listInbox(filter: InboxFilter = {}, now = new Date()) {
  const base: Prisma.DataRequestWhereInput = {
    kind: filter.kind,
    store: filter.store ? { slug: filter.store } : undefined,
    id: filter.id ? { contains: filter.id } : undefined,
    assigneeId: filter.assignee === "unassigned" ? null : filter.assignee?.staffId,
  };
  const where: Prisma.DataRequestWhereInput = { ...base, status: filter.status ?? { in: [...OPEN_STATUSES] } };
  // Deadlines are COALESCE(extendedDueAt, dueAt), which Prisma cannot sort by: order the (small)
  // id/deadline pairs here, then load only the page's rows.
  const [keys, byStatus] = await Promise.all([
    db().dataRequest.findMany({ where, select: { id: true, dueAt: true, extendedDueAt: true } }),
    db().dataRequest.groupBy({ by: ["status"], where: base, _count: { _all: true } }),
  ]);
  keys.sort(
    (a, b) =>
      (a.extendedDueAt ?? a.dueAt).getTime() - (b.extendedDueAt ?? b.dueAt).getTime() || a.id.localeCompare(b.id),
  );
  const pages = Math.max(1, Math.ceil(keys.length / INBOX_PAGE_SIZE));
  const page = Math.min(Math.max(1, filter.page ?? 1), pages);
  const ids = keys.slice((page - 1) * INBOX_PAGE_SIZE, page * INBOX_PAGE_SIZE).map((k) => k.id);
  const loaded = await db().dataRequest.findMany({
    where: { id: { in: ids } },
    include: { store: { select: { slug: true, name: true, timezone: true } } },
  });
  const byId = new Map(loaded.map((r) => [r.id, r]));
  const rows = ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const due = r.extendedDueAt ?? r.dueAt;
    const open = isOpen(r.status);
    return [
      {
        ...r,
        due,
        overdue: open && due < now,
        dueSoon: open && due >= now && due.getTime() - now.getTime() < DUE_SOON_MS,
      },
    ];
  });
  const counts = Object.fromEntries(byStatus.map((g) => [g.status, g._count._all])) as Partial<
    Record<RequestStatus, number>
  >;
  return { rows, total: keys.length, page, pages, counts };
}
