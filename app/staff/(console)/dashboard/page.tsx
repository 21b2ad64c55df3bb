import { getDashboard, type Dashboard } from "@/lib/dashboard/get-dashboard.ts";
import { MAX_RANGE_DAYS } from "@/lib/dashboard/dashboard-range.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { listStores } from "@/lib/stores/list-stores.ts";
import type { Messages } from "@/lib/i18n/messages.ts";
import { t } from "../../../_lib/locale.ts";
import { staffUser } from "../_lib/guard.ts";
import { Chart } from "./chart.tsx";
import { pageTitle } from "../../../_lib/page-title.ts";

export const dynamic = "force-dynamic";

export const generateMetadata = () => pageTitle((m) => m.meta.dashboard);

type Search = { store?: string; from?: string; to?: string };
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function DashboardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { m, locale } = await t();
  const user = await staffUser();
  if (!user) return <p role="alert">{m.staff.notStaff}</p>;
  const sp = await searchParams;
  const q: Search = { store: one(sp.store), from: one(sp.from), to: one(sp.to) };
  const stores = await listStores();
  const storeSlug = stores.some((s) => s.slug === q.store) ? q.store : undefined;
  let badRange = false;
  let d: Dashboard | null;
  try {
    d = await getDashboard({ storeSlug, from: q.from, to: q.to });
  } catch (e) {
    if (!isAppError(e, "invalid_input")) throw e;
    badRange = true;
    d = await getDashboard({ storeSlug });
  }
  const txt = m.staff.dashboard;
  if (!d)
    return (
      <>
        <h1>{txt.title}</h1>
        <p>{txt.noStores}</p>
      </>
    );
  return (
    <>
      <h1>{txt.title}</h1>
      <form method="get" className="card filters" aria-label={txt.filters} data-testid="dashboard-filters">
        <p>
          <label htmlFor="dash-store">{m.staff.store}</label>
          <select id="dash-store" name="store" defaultValue={d.store.slug}>
            {stores.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label htmlFor="dash-from">{txt.from}</label>
          <input id="dash-from" type="date" name="from" defaultValue={d.range.from} required />
        </p>
        <p>
          <label htmlFor="dash-to">{txt.to}</label>
          <input id="dash-to" type="date" name="to" defaultValue={d.range.to} required />
        </p>
        <p>
          <button type="submit">{txt.show}</button>
        </p>
        <p className="muted filters-note">{txt.zoneNote(d.store.timezone)}</p>
      </form>
      {badRange && <p role="alert">{txt.badRange(MAX_RANGE_DAYS)}</p>}
      <People d={d} m={m} locale={locale} />
      <Trends d={d} m={m} locale={locale} />
      <Rights d={d} m={m} locale={locale} />
    </>
  );
}

type Props = { d: NonNullable<Dashboard>; m: Messages; locale: string };

// Calendar dates are formatted as dates, not instants: read in UTC they stay the store's date.
function dayFormat(locale: string) {
  const f = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" });
  const full = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  const at = (s: string) => new Date(`${s}T00:00:00Z`);
  return { short: (s: string) => f.format(at(s)), full: (s: string) => full.format(at(s)) };
}

const hourLabel = (h: number) => `${String(h).padStart(2, "0")}:00`;

function People({ d, m, locale }: Props) {
  const txt = m.staff.dashboard;
  const num = new Intl.NumberFormat(locale);
  const pct = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const days = dayFormat(locale);
  const period =
    d.range.from === d.range.to ? days.full(d.range.from) : `${days.full(d.range.from)} – ${days.full(d.range.to)}`;
  const hours = d.hours.map((h) => hourLabel(h.hour));
  const busiest = d.hours.reduce((a, b) => (b.entries > a.entries ? b : a));
  const fullest = d.hours.reduce((a, b) => (b.maxOccupancy > a.maxOccupancy ? b : a));
  const commonest = d.dwell.reduce((a, b) => (b.count > a.count ? b : a));
  const stays = d.dwell.reduce((s, b) => s + b.count, 0);
  const share = (count: number, of: number | null) => txt.share(num.format(count), of === null ? "—" : pct.format(of));
  return (
    <section className="card" aria-labelledby="people-h">
      <h2 id="people-h">{txt.people(d.store.name, period)}</h2>
      <Chart
        id="chart-entries"
        locale={locale}
        title={txt.entriesTitle}
        description={
          d.totals.entries
            ? txt.entriesDesc(num.format(d.totals.entries), hourLabel(busiest.hour), num.format(busiest.entries))
            : txt.entriesNone
        }
        categories={hours}
        xLabel={txt.hourAxis}
        yLabel={txt.entriesAxis}
        y2Label={txt.facesAxis}
        series={[
          { label: txt.entriesSeries, kind: "bar", values: d.hours.map((h) => h.entries) },
          { label: txt.facesSeries, kind: "line", axis: "right", values: d.hours.map((h) => h.faces) },
        ]}
        tableLabel={txt.tableLabel}
      />
      <Chart
        id="chart-occupancy"
        locale={locale}
        title={txt.occupancyTitle}
        description={
          fullest.maxOccupancy
            ? txt.occupancyDesc(num.format(fullest.maxOccupancy), hourLabel(fullest.hour))
            : txt.occupancyNone
        }
        categories={hours}
        xLabel={txt.hourAxis}
        yLabel={txt.occupancyAxis}
        series={[{ label: txt.occupancySeries, kind: "line", values: d.hours.map((h) => h.maxOccupancy) }]}
        tableLabel={txt.tableLabel}
      />
      <Chart
        id="chart-dwell"
        locale={locale}
        title={txt.dwellTitle}
        description={stays ? txt.dwellDesc(num.format(stays), txt.dwellBins[commonest.bin]) : txt.dwellNone}
        categories={d.dwell.map((b) => txt.dwellBins[b.bin])}
        xLabel={txt.dwellAxis}
        yLabel={txt.peopleAxis}
        series={[{ label: txt.peopleSeries, kind: "bar", values: d.dwell.map((b) => b.count) }]}
        tableLabel={txt.tableLabel}
      />
      <h3>{txt.frames}</h3>
      <dl className="facts" data-testid="frames">
        <dt>{txt.framesAccepted}</dt>
        <dd>{num.format(d.totals.accepted)}</dd>
        <dt>{txt.notAnalysed}</dt>
        <dd data-testid="not-analysed">{share(d.totals.notAnalysed, d.totals.notAnalysedShare)}</dd>
        <dt>{txt.motionSkipped}</dt>
        <dd data-testid="motion-skipped">{share(d.totals.motionSkipped, d.totals.motionSkippedShare)}</dd>
        <dt>{txt.crossings}</dt>
        <dd>{txt.crossingsValue(num.format(d.totals.lineIn), num.format(d.totals.lineOut))}</dd>
      </dl>
    </section>
  );
}

function Trends({ d, m, locale }: Props) {
  const txt = m.staff.dashboard;
  const num = new Intl.NumberFormat(locale);
  const days = dayFormat(locale);
  const sum = (k: "grants" | "revocations" | "accessRequests" | "erasureRequests") =>
    num.format(d.days.reduce((s, x) => s + x[k], 0));
  const categories = d.days.map((x) => days.short(x.date));
  return (
    <section className="card" aria-labelledby="trends-h">
      <h2 id="trends-h">{txt.trends}</h2>
      <Chart
        id="chart-consent"
        locale={locale}
        title={txt.consentTitle}
        description={txt.consentDesc(sum("grants"), sum("revocations"))}
        categories={categories}
        xLabel={txt.dayAxis}
        yLabel={txt.eventsAxis}
        series={[
          { label: txt.grantsSeries, kind: "line", values: d.days.map((x) => x.grants) },
          { label: txt.revocationsSeries, kind: "line", values: d.days.map((x) => x.revocations) },
        ]}
        tableLabel={txt.tableLabel}
      />
      <Chart
        id="chart-requests"
        locale={locale}
        title={txt.requestsTitle}
        description={txt.requestsDesc(sum("accessRequests"), sum("erasureRequests"))}
        categories={categories}
        xLabel={txt.dayAxis}
        yLabel={txt.requestsAxis}
        series={[
          { label: txt.accessSeries, kind: "bar", values: d.days.map((x) => x.accessRequests) },
          { label: txt.erasureSeries, kind: "bar", values: d.days.map((x) => x.erasureRequests) },
        ]}
        tableLabel={txt.tableLabel}
      />
    </section>
  );
}

function Rights({ d, m, locale }: Props) {
  const txt = m.staff.dashboard;
  const num = new Intl.NumberFormat(locale);
  const purpose = (p: string) =>
    p === "recognition" ? m.consent.recognitionTitle : p === "demographics" ? m.consent.demographicsTitle : p;
  const pct = (a: number, b: number) => (b ? `${Math.round((a / b) * 100)}%` : "—");
  const total = d.requestsByStatus.reduce((s, r) => s + r.count, 0);
  return (
    <>
      <section className="card" aria-labelledby="rates-h">
        <h2 id="rates-h">{txt.consentRates}</h2>
        <table data-testid="consent-rates">
          <thead>
            <tr>
              <th scope="col">{txt.purpose}</th>
              <th scope="col">{txt.grantedNow}</th>
            </tr>
          </thead>
          <tbody>
            {d.consentRates.map((c) => (
              <tr key={c.purpose}>
                <td>{purpose(c.purpose)}</td>
                <td>
                  {c.granted} / {c.total} ({pct(c.granted, c.total)})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card" aria-labelledby="requests-h">
        <h2 id="requests-h">{txt.requests}</h2>
        <Chart
          id="chart-status"
          locale={locale}
          title={txt.byStatus}
          description={txt.byStatusDesc(num.format(total))}
          categories={d.requestsByStatus.map((r) => m.me.status[r.status] ?? r.status)}
          xLabel={txt.statusAxis}
          yLabel={txt.statusCountAxis}
          series={[{ label: txt.requests, kind: "bar", values: d.requestsByStatus.map((r) => r.count) }]}
          tableLabel={txt.tableLabel}
        />
        <p data-testid="on-time">{txt.onTime(d.onTime.inTime, d.onTime.done, pct(d.onTime.inTime, d.onTime.done))}</p>
        <p>
          <a href={`/api/staff/consents.csv?store=${encodeURIComponent(d.store.slug)}`}>{txt.csv}</a>
        </p>
      </section>
    </>
  );
}
