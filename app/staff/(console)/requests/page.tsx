import { listInbox } from "@/lib/requests/list-inbox.ts";
import { t } from "../../../_lib/locale.ts";
import { staffUser } from "../_lib/guard.ts";
import { pageTitle } from "../../../_lib/page-title.ts";

export const dynamic = "force-dynamic";

export const generateMetadata = () => pageTitle((m) => m.meta.requests);

export default async function InboxPage({ searchParams }: { searchParams: Promise<{ status?: string; kind?: string; store?: string }> }) {
  const { locale, m } = await t();
  const user = await staffUser();
  if (!user) return <p role="alert">{m.staff.notStaff}</p>;
  const sp = await searchParams;
  const kind = sp.kind === "ACCESS" || sp.kind === "ERASURE" ? sp.kind : undefined;
  // Only a real status filters; anything else (status=FOO) shows the open requests, never a 500.
  const status = sp.status && Object.hasOwn(m.me.status, sp.status) ? sp.status : undefined;
  const rows = await listInbox({ status, kind, store: typeof sp.store === "string" ? sp.store : undefined });
  const day = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  const i = m.staff.inbox;
  return (
    <>
      <h1>{m.staff.nav.requests}</h1>
      <form className="purpose" method="get">
        <label htmlFor="filter-kind">{i.filterKind}</label>
        <select id="filter-kind" name="kind" defaultValue={kind ?? ""}>
          <option value="">{i.anyKind}</option>
          <option value="ACCESS">{m.me.kind.ACCESS}</option>
          <option value="ERASURE">{m.me.kind.ERASURE}</option>
        </select>
        <label htmlFor="filter-status">{i.filterStatus}</label>
        <select id="filter-status" name="status" defaultValue={sp.status ?? ""}>
          <option value="">{i.open}</option>
          {Object.keys(m.me.status).map((s) => <option key={s} value={s}>{m.me.status[s]}</option>)}
        </select>
        <button type="submit" className="secondary">{i.filter}</button>
      </form>
      <div className="table-wrap">
        <table data-testid="inbox">
          <thead><tr><th scope="col">{i.due}</th><th scope="col">{i.kind}</th><th scope="col">{m.staff.store}</th><th scope="col">{m.staff.state}</th><th scope="col" /></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} style={r.overdue ? { background: "#fdecea" } : r.dueSoon ? { background: "#fff4e5" } : undefined}>
                <td>{day.format(r.due)} {r.overdue ? <strong>{i.overdue}</strong> : r.dueSoon ? <strong>{i.dueSoon}</strong> : null}</td>
                <td>{m.me.kind[r.kind]}</td>
                <td>{r.store.name}</td>
                <td>{m.me.status[r.status]}</td>
                <td><a href={`/staff/requests/${r.id}`} aria-label={i.viewLabel(m.me.kind[r.kind] ?? r.kind, r.store.name)}>{i.view}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 ? <p className="muted">{i.empty}</p> : null}
    </>
  );
}
