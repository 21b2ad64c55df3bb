import { listFailedJobs } from "@/lib/jobs/failed-jobs.ts";
import { queueDepths } from "@/lib/jobs/queue-depths.ts";
import { QUEUES } from "@/lib/jobs/contract.ts";
import { errorText } from "../../../_lib/error-text.ts";
import { t } from "../../../_lib/locale.ts";
import { staffUser } from "../_lib/guard.ts";
import { retryAction } from "./actions.ts";
import { pageTitle } from "../../../_lib/page-title.ts";
import { FormOutcome } from "../../../_components/form-outcome.tsx";

export const dynamic = "force-dynamic";

export const generateMetadata = () => pageTitle((m) => m.meta.jobs);

export default async function JobsPage({
  searchParams,
}: {
  searchParams: Promise<{ saved?: string; error?: string }>;
}) {
  const { locale, m } = await t();
  const user = await staffUser();
  if (!user) return <p role="alert">{m.staff.notStaff}</p>;
  const sp = await searchParams;
  const [jobs, depths] = await Promise.all([listFailedJobs(), queueDepths()]);
  // Jobs belong to no store: in UTC, named (timeStyle "long"), whatever zone the server runs in.
  const when = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "long", timeZone: "UTC" });
  const j = m.staff.jobs;
  const states = ["waiting", "active", "delayed", "failed", "completed"];
  return (
    <>
      <h1>{j.title}</h1>
      <div className="table-wrap">
        <table data-testid="queues">
          <thead>
            <tr>
              <th scope="col">{j.queue}</th>
              {states.map((k) => (
                <th scope="col" key={k}>
                  {j.states[k]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Object.entries(depths).map(([q, c]) => (
              <tr key={q}>
                <td>
                  <code>{q}</code>
                </td>
                {states.map((k) => (
                  <td key={k}>{c[k] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{j.failedTitle}</h2>
      <FormOutcome
        saved={sp.saved ? j.requeued(Number(sp.saved) || 0) : null}
        error={sp.error ? errorText(m, sp.error) : null}
      />
      {Object.values(QUEUES).map((q) => (
        <form key={q} action={retryAction} style={{ display: "inline-block", marginRight: 8 }}>
          <input type="hidden" name="queue" value={q} />
          <button type="submit" className="secondary">
            {/* The queue's name is a code: shown as one, wherever the language puts it in the sentence. */}
            {j
              .retryAll("\u0000")
              .split("\u0000")
              .flatMap((part, i) => (i ? [<code key={i}>{q}</code>, part] : [part]))}
          </button>
        </form>
      ))}
      <div className="table-wrap">
        <table data-testid="failed-jobs">
          <thead>
            <tr>
              <th scope="col">{j.when}</th>
              <th scope="col">{j.job}</th>
              <th scope="col">{j.error}</th>
              <th scope="col">{j.attempts}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={`${job.queue}-${job.id}`}>
                <td>{job.failedAt ? when.format(job.failedAt) : "—"}</td>
                <td>
                  <code>{job.name}</code>
                  <br />
                  <code>{job.id}</code>
                </td>
                <td>
                  <code>{job.error}</code>
                </td>
                <td>{job.attempts}</td>
                <td>
                  <form action={retryAction}>
                    <input type="hidden" name="queue" value={job.queue} />
                    <input type="hidden" name="job" value={job.id} />
                    <button type="submit" className="secondary">
                      {j.retry}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {jobs.length === 0 ? <p className="muted">{j.none}</p> : null}
    </>
  );
}
