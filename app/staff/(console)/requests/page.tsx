import { listInbox } from "@/lib/requests/list-inbox.ts";
import { t } from "../../../_lib/locale.ts";
import { staffUser } from "../_lib/guard.ts";

export const dynamic = "force-dynamic";

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
  return (
    <>
      <h1>{m.staff.nav.requests}</h1>
      <form className="purpose" method="get">
        <select name="kind" defaultValue={kind ?? ""} aria-label={m.me.kind.ACCESS}>
          <option value="">—</option>
          <option value="ACCESS">{m.me.kind.ACCESS}</option>
          <option value="ERASURE">{m.me.kind.ERASURE}</option>
        </select>
        <select name="status" defaultValue={sp.status ?? ""} aria-label={m.staff.state}>
          <option value="">open</option>
          {Object.keys(m.me.status).map((s) => <option key={s} value={s}>{m.me.status[s]}</option>)}
        </select>
        <button type="submit" className="secondary">Filter</button>
      </form>
      <div className="table-wrap">
        <table data-testid="inbox">
          <thead><tr><th scope="col">Due</th><th scope="col">Kind</th><th scope="col">{m.staff.store}</th><th scope="col">{m.staff.state}</th><th scope="col" /></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} style={r.overdue ? { background: "#fdecea" } : r.dueSoon ? { background: "#fff4e5" } : undefined}>
                <td>{day.format(r.due)} {r.overdue ? <strong>overdue</strong> : r.dueSoon ? <strong>due soon</strong> : null}</td>
                <td>{m.me.kind[r.kind]}</td>
                <td>{r.store.name}</td>
                <td>{m.me.status[r.status]}</td>
                <td><a href={`/staff/requests/${r.id}`}>Open</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
