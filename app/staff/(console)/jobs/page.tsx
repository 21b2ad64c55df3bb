import { listFailedJobs } from "@/lib/jobs/failed-jobs.ts";
import { queueDepths } from "@/lib/jobs/queue-depths.ts";
import { QUEUES } from "@/lib/jobs/contract.ts";
import { errorText } from "../../../_lib/error-text.ts";
import { t } from "../../../_lib/locale.ts";
import { staffUser } from "../_lib/guard.ts";
import { retryAction } from "./actions.ts";

export const dynamic = "force-dynamic";

export default async function JobsPage({ searchParams }: { searchParams: Promise<{ saved?: string; error?: string }> }) {
  const { locale, m } = await t();
  const user = await staffUser();
  if (!user) return <p role="alert">{m.staff.notStaff}</p>;
  const sp = await searchParams;
  const [jobs, depths] = await Promise.all([listFailedJobs(), queueDepths()]);
  const when = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "medium" });
  return (
    <>
      <h1>Queues</h1>
      <div className="table-wrap">
        <table data-testid="queues">
          <thead><tr><th scope="col">Queue</th>{["waiting", "active", "delayed", "failed", "completed"].map((k) => <th scope="col" key={k}>{k}</th>)}</tr></thead>
          <tbody>
            {Object.entries(depths).map(([q, c]) => (
              <tr key={q}><td>{q}</td>{["waiting", "active", "delayed", "failed", "completed"].map((k) => <td key={k}>{c[k] ?? 0}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Failed jobs</h2>
      {sp.saved ? <p className="status ok" role="status">{Number(sp.saved) || 0} job(s) queued again.</p> : null}
      {sp.error ? <p className="status err" role="alert">{errorText(m, sp.error)}</p> : null}
      {Object.values(QUEUES).map((q) => (
        <form key={q} action={retryAction} style={{ display: "inline-block", marginRight: 8 }}>
          <input type="hidden" name="queue" value={q} />
          <button type="submit" className="secondary">Retry all failed in {q}</button>
        </form>
      ))}
      <div className="table-wrap">
        <table data-testid="failed-jobs">
          <thead><tr><th scope="col">When</th><th scope="col">Job</th><th scope="col">Error</th><th scope="col">Attempts</th><th scope="col" /></tr></thead>
          <tbody>
            {jobs.map((j) => (
              <tr key={`${j.queue}-${j.id}`}>
                <td>{j.failedAt ? when.format(j.failedAt) : "—"}</td>
                <td>{j.name}<br /><code>{j.id}</code></td>
                <td>{j.error}</td>
                <td>{j.attempts}</td>
                <td>
                  <form action={retryAction}>
                    <input type="hidden" name="queue" value={j.queue} />
                    <input type="hidden" name="job" value={j.id} />
                    <button type="submit" className="secondary">Retry</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {jobs.length === 0 ? <p className="muted">No failed jobs.</p> : null}
    </>
  );
}
