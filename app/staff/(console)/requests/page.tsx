import { listInbox } from "@/lib/requests/list-inbox.ts";
import { OPEN_STATUSES } from "@/lib/requests/request-status.ts";
import type { RequestStatus } from "@/lib/generated/prisma/enums.ts";
import { t } from "../../../_lib/locale.ts";
import { staffUser } from "../_lib/guard.ts";
import { pageTitle } from "../../../_lib/page-title.ts";
import { storeClock } from "../../../_lib/store-clock.ts";
import { Pager } from "../../../_components/pager.tsx";

export const dynamic = "force-dynamic";

export const generateMetadata = () => pageTitle((m) => m.meta.requests);

type Search = { status?: string; kind?: string; store?: string; id?: string; assignee?: string; page?: string };
const one = (v: unknown) => (typeof v === "string" ? v : undefined);

export default async function InboxPage({ searchParams }: { searchParams: Promise<Search> }) {
  const { locale, m } = await t();
  const user = await staffUser();
  if (!user) return <p role="alert">{m.staff.notStaff}</p>;
  const sp = await searchParams;
  // Every parameter is checked against what it can be; anything else (status=FOO, page=-1,
  // repeated values) falls back to the default view, never a 500.
  const kind = sp.kind === "ACCESS" || sp.kind === "ERASURE" ? sp.kind : undefined;
  const statusParam = one(sp.status);
  const status = statusParam && Object.hasOwn(m.me.status, statusParam) ? (statusParam as RequestStatus) : undefined;
  const assignee = sp.assignee === "me" || sp.assignee === "none" ? sp.assignee : undefined;
  const idParam = one(sp.id)?.trim();
  const id = idParam && /^[a-z0-9]{1,40}$/i.test(idParam) ? idParam : undefined;
  const pageNo = Number(one(sp.page) ?? 1);
  const store = one(sp.store);
  const inbox = await listInbox({
    status,
    kind,
    store,
    id,
    assignee: assignee === "me" ? { staffId: user.id } : assignee === "none" ? "unassigned" : undefined,
    page: Number.isSafeInteger(pageNo) ? pageNo : 1,
  });
  const i = m.staff.inbox;
  const link = (over: Partial<Record<keyof Search, string | undefined>>) => {
    const q = new URLSearchParams();
    const all = { kind, status, store, id, assignee, ...over };
    for (const [k, v] of Object.entries(all)) if (v) q.set(k, v);
    const s = q.toString();
    return `/staff/requests${s ? `?${s}` : ""}`;
  };
  const openCount = OPEN_STATUSES.reduce((n, s) => n + (inbox.counts[s] ?? 0), 0);
  return (
    <>
      <h1>{m.staff.nav.requests}</h1>
      <nav aria-label={i.countsLabel}>
        <ul className="counts" data-testid="inbox-counts">
          <li>
            <a href={link({ status: undefined, page: undefined })} aria-current={!status ? "page" : undefined}>
              {i.open}: {openCount}
            </a>
          </li>
          {Object.keys(m.me.status).map((s) => (
            <li key={s}>
              <a href={link({ status: s, page: undefined })} aria-current={status === s ? "page" : undefined}>
                {m.me.status[s]}: {inbox.counts[s as RequestStatus] ?? 0}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <form className="purpose" method="get">
        <label htmlFor="filter-id">{i.searchId}</label>
        <input id="filter-id" name="id" type="search" defaultValue={id ?? ""} autoComplete="off" spellCheck={false} />
        <label htmlFor="filter-kind">{i.filterKind}</label>
        <select id="filter-kind" name="kind" defaultValue={kind ?? ""}>
          <option value="">{i.anyKind}</option>
          <option value="ACCESS">{m.me.kind.ACCESS}</option>
          <option value="ERASURE">{m.me.kind.ERASURE}</option>
        </select>
        <label htmlFor="filter-status">{i.filterStatus}</label>
        <select id="filter-status" name="status" defaultValue={status ?? ""}>
          <option value="">{i.open}</option>
          {Object.keys(m.me.status).map((s) => (
            <option key={s} value={s}>
              {m.me.status[s]}
            </option>
          ))}
        </select>
        <label htmlFor="filter-assignee">{i.filterAssignee}</label>
        <select id="filter-assignee" name="assignee" defaultValue={assignee ?? ""}>
          <option value="">{i.anyone}</option>
          <option value="me">{i.mine}</option>
          <option value="none">{i.unassigned}</option>
        </select>
        {store ? <input type="hidden" name="store" value={store} /> : null}
        <button type="submit" className="secondary">
          {i.filter}
        </button>
      </form>
      {inbox.rows.length === 0 ? (
        <p className="muted" data-testid="inbox-empty" role="status">
          {i.empty}
        </p>
      ) : (
        <>
          <p className="muted" data-testid="inbox-total">
            {i.shown(inbox.rows.length, inbox.total)}
          </p>
          <div className="table-wrap">
            <table data-testid="inbox">
              <thead>
                <tr>
                  <th scope="col">{i.due}</th>
                  <th scope="col">{i.kind}</th>
                  <th scope="col">{m.staff.store}</th>
                  <th scope="col">{m.staff.state}</th>
                  <th scope="col">{i.reference}</th>
                  <th scope="col">
                    <span className="visually-hidden">{i.view}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {inbox.rows.map((r) => (
                  <tr
                    key={r.id}
                    style={r.overdue ? { background: "#fdecea" } : r.dueSoon ? { background: "#fff4e5" } : undefined}
                  >
                    <td>
                      {storeClock(locale, r.store.timezone).date(r.due)}{" "}
                      {r.overdue ? <strong>{i.overdue}</strong> : r.dueSoon ? <strong>{i.dueSoon}</strong> : null}
                    </td>
                    <td>{m.me.kind[r.kind]}</td>
                    <td>{r.store.name}</td>
                    <td>{m.me.status[r.status]}</td>
                    <td className="reference">{r.id}</td>
                    <td>
                      <a
                        href={`/staff/requests/${r.id}`}
                        aria-label={i.viewLabel(m.me.kind[r.kind] ?? r.kind, r.store.name)}
                      >
                        {i.view}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            m={m}
            page={inbox.page}
            pages={inbox.pages}
            label={i.pagesLabel}
            href={(p) => link({ page: String(p) })}
            previous={i.previous}
            next={i.next}
          />
        </>
      )}
    </>
  );
}
