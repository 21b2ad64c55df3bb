import { getDashboard } from "@/lib/dashboard/get-dashboard.ts";
import { t } from "../../../_lib/locale.ts";
import { staffUser } from "../_lib/guard.ts";
import { BarChart } from "./bar-chart.tsx";

export const dynamic = "force-dynamic";

export default async function DashboardPage() {
  const { m } = await t();
  const user = await staffUser();
  if (!user) return <p role="alert">{m.staff.notStaff}</p>;
  const d = await getDashboard();
  const stores = [...new Set([...d.hourly, ...d.daily].map((r) => r.store))];
  const pct = (a: number, b: number) => (b ? `${Math.round((a / b) * 100)}%` : "—");
  return (
    <>
      <h1>Dashboard</h1>
      {stores.map((s) => (
        <section className="card" key={s}>
          <h2>{s}: footfall</h2>
          <BarChart title="Faces per hour, last 24 h" bars={d.hourly.filter((r) => r.store === s).map((r) => ({ label: `${r.at.toISOString().slice(11, 13)}h`, value: r.faces }))} />
          <BarChart title="Faces per day, last 14 days" bars={d.daily.filter((r) => r.store === s).map((r) => ({ label: r.at.toISOString().slice(5, 10), value: r.faces }))} />
        </section>
      ))}
      <section className="card">
        <h2>Consent rates</h2>
        <table data-testid="consent-rates">
          <thead><tr><th scope="col">Store</th><th scope="col">Purpose</th><th scope="col">Granted now</th></tr></thead>
          <tbody>{d.consent.map((c) => <tr key={`${c.store}-${c.purpose}`}><td>{c.store}</td><td>{c.purpose}</td><td>{c.granted} / {c.total} ({pct(c.granted, c.total)})</td></tr>)}</tbody>
        </table>
      </section>
      <section className="card">
        <h2>Requests</h2>
        <BarChart title="Requests by status" bars={d.requests.map((r) => ({ label: r.status, value: r.count }))} />
        <p data-testid="on-time">Answered on time: {d.onTime.inTime} of {d.onTime.done} ({pct(d.onTime.inTime, d.onTime.done)})</p>
        <p><a href="/api/staff/consents.csv">Download consent records (CSV)</a></p>
      </section>
    </>
  );
}
