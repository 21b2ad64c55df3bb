import { getDashboard } from "@/lib/dashboard/get-dashboard.ts";
import { t } from "../../../_lib/locale.ts";
import { staffUser } from "../_lib/guard.ts";
import { BarChart } from "./bar-chart.tsx";
import { pageTitle } from "../../../_lib/page-title.ts";

export const dynamic = "force-dynamic";

export const generateMetadata = () => pageTitle((m) => m.meta.dashboard);

export default async function DashboardPage() {
  const { m } = await t();
  const user = await staffUser();
  if (!user) return <p role="alert">{m.staff.notStaff}</p>;
  const d = await getDashboard();
  const stores = [...new Set([...d.hourly, ...d.daily, ...d.visits].map((r) => r.store))];
  const txt = m.staff.dashboard;
  const purpose = (p: string) =>
    p === "recognition" ? m.consent.recognitionTitle : p === "demographics" ? m.consent.demographicsTitle : p;
  const pct = (a: number, b: number) => (b ? `${Math.round((a / b) * 100)}%` : "—");
  return (
    <>
      <h1>{txt.title}</h1>
      {stores.map((s) => (
        <section className="card" key={s}>
          <h2>{txt.footfall(s)}</h2>
          <BarChart
            title={txt.perHour}
            bars={d.hourly
              .filter((r) => r.store === s)
              .map((r) => ({ label: `${r.at.toISOString().slice(11, 13)}h`, value: r.faces }))}
          />
          <BarChart
            title={txt.perDay}
            bars={d.daily
              .filter((r) => r.store === s)
              .map((r) => ({ label: r.at.toISOString().slice(5, 10), value: r.faces }))}
          />
          <BarChart
            title={txt.visitsPerDay}
            bars={d.visits
              .filter((r) => r.store === s)
              .map((r) => ({ label: r.at.toISOString().slice(5, 10), value: r.visits }))}
          />
        </section>
      ))}
      <section className="card">
        <h2>{txt.consentRates}</h2>
        <table data-testid="consent-rates">
          <thead>
            <tr>
              <th scope="col">{m.staff.store}</th>
              <th scope="col">{txt.purpose}</th>
              <th scope="col">{txt.grantedNow}</th>
            </tr>
          </thead>
          <tbody>
            {d.consent.map((c) => (
              <tr key={`${c.store}-${c.purpose}`}>
                <td>{c.store}</td>
                <td>{purpose(c.purpose)}</td>
                <td>
                  {c.granted} / {c.total} ({pct(c.granted, c.total)})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>{txt.requests}</h2>
        <BarChart
          title={txt.byStatus}
          bars={d.requests.map((r) => ({ label: m.me.status[r.status] ?? r.status, value: r.count }))}
        />
        <p data-testid="on-time">{txt.onTime(d.onTime.inTime, d.onTime.done, pct(d.onTime.inTime, d.onTime.done))}</p>
        <p>
          <a href="/api/staff/consents.csv">{txt.csv}</a>
        </p>
      </section>
    </>
  );
}
