import { notFound } from "next/navigation";
import { getRequestDetail } from "@/lib/requests/get-request-detail.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { VERIFICATION_METHODS } from "@/lib/requests/verify-request.ts";
import { t } from "../../../../_lib/locale.ts";
import { errorText } from "../../../../_lib/error-text.ts";
import { staffUser } from "../../_lib/guard.ts";
import { approveAction, assignToMeAction, extendAction, noteAction, rejectAction, verifyAction } from "../actions.ts";
import { isApprovable, isFinished } from "@/lib/requests/request-status.ts";
import { pageTitle } from "../../../../_lib/page-title.ts";
import { storeClock } from "../../../../_lib/store-clock.ts";
import { FormOutcome } from "../../../../_components/form-outcome.tsx";
import { Pager } from "../../../../_components/pager.tsx";
import { pageParam } from "../../../../_lib/page-param.ts";

export const dynamic = "force-dynamic";

// Titled by what it is, not by whose: the title is rendered before the page checks the role.
export const generateMetadata = () => pageTitle((m) => m.meta.request);

export default async function RequestDetail(props: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ saved?: string; error?: string; form?: string; timeline?: string | string[] }>;
}) {
  const { locale, m } = await t();
  const user = await staffUser();
  if (!user) return <p role="alert">{m.staff.notStaff}</p>;
  const [{ id }, sp] = await Promise.all([props.params, props.searchParams]);
  const detail = await getRequestDetail(id, { timelinePage: pageParam(sp.timeline) }).catch((e) => {
    if (isAppError(e, "not_found")) notFound();
    throw e;
  });
  const r = detail.request;
  const clock = storeClock(locale, r.store.timezone);
  const open = isApprovable(r.status);
  const hidden = <input type="hidden" name="request" value={r.id} />;
  const q = m.staff.request;
  // The outcome of a form is shown beside it, named (saved=…&form=…); at the top when that form
  // is no longer on the page (an approved request has no forms left) or none was named.
  const forms = open ? [...(r.verifiedAt ? [] : ["verify"]), "approve", "reject", "extend", "assign", "note"] : [];
  const beside = forms.includes(sp.form ?? "") ? sp.form : undefined;
  // Only a form this page names picks a message: never text, or an inherited key, from the URL.
  const own = (texts: Record<string, string>, form?: string) =>
    form && Object.hasOwn(texts, form) ? texts[form] : undefined;
  const outcome = (form?: string) => (
    <FormOutcome
      saved={sp.saved ? (own(q.done, form) ?? m.staff.saved) : null}
      error={
        sp.error === "invalid_input" && own(q.invalid, form)
          ? own(q.invalid, form)
          : sp.error
            ? errorText(m, sp.error)
            : null
      }
    />
  );
  return (
    <>
      <h1>
        {m.me.kind[r.kind]} — {r.store.name}
      </h1>
      {beside ? null : outcome(sp.form)}
      <p data-testid="request-status">{m.me.status[r.status]}</p>
      <p>
        {isFinished(r.status)
          ? m.me.finished(clock.date(r.completedAt ?? r.updatedAt))
          : m.me.due(clock.date(r.extendedDueAt ?? r.dueAt))}
      </p>
      <p>
        {r.verifiedAt
          ? q.verified(
              q.methods[r.verificationMethod ?? ""] ?? String(r.verificationMethod),
              clock.dateTime(r.verifiedAt),
            )
          : q.notVerified}
      </p>
      {/* Stored by the system in English for the record; shown as data, under a translated label. */}
      {r.failureReason ? (
        <p className="status err">
          {q.failure}: <code>{r.failureReason}</code>
        </p>
      ) : null}
      {detail.held ? (
        <p data-testid="held">
          {q.held(detail.held.consentEvents, detail.held.visits, detail.held.templates, detail.held.checkIns)}
        </p>
      ) : null}
      {r.receipt && r.status === "COMPLETED" && r.kind === "ERASURE" ? (
        <pre data-testid="receipt" style={{ whiteSpace: "pre-wrap" }}>
          {JSON.stringify(r.receipt, null, 2)}
        </pre>
      ) : null}

      {open ? (
        <section className="card">
          <h2>{q.actions}</h2>
          {!r.verifiedAt ? (
            <form action={verifyAction} className="stack" id="form-verify">
              {hidden}
              <label htmlFor="method">{q.method}</label>
              <select id="method" name="method">
                {VERIFICATION_METHODS.map((v) => (
                  <option key={v} value={v}>
                    {q.methods[v] ?? v}
                  </option>
                ))}
              </select>
              <button type="submit">{q.recordVerification}</button>
              {beside === "verify" ? outcome("verify") : null}
            </form>
          ) : null}
          <form action={approveAction} id="form-approve">
            {hidden}
            <button type="submit">{q.approve}</button>
            {beside === "approve" ? outcome("approve") : null}
          </form>
          <form action={rejectAction} className="stack" id="form-reject">
            {hidden}
            <label htmlFor="reject-reason">{q.rejectReason}</label>
            <input id="reject-reason" name="reason" type="text" required minLength={5} maxLength={2000} />
            <button type="submit" className="secondary">
              {q.reject}
            </button>
            {beside === "reject" ? outcome("reject") : null}
          </form>
          <form action={extendAction} className="stack" id="form-extend">
            {hidden}
            <label htmlFor="until">{q.extendUntil}</label>
            <input id="until" name="until" type="date" required />
            <label htmlFor="extend-reason">{q.extendReason}</label>
            <input id="extend-reason" name="reason" type="text" required minLength={5} maxLength={2000} />
            <button type="submit" className="secondary">
              {q.extend}
            </button>
            {beside === "extend" ? outcome("extend") : null}
          </form>
          <form action={assignToMeAction} id="form-assign">
            {hidden}
            <button type="submit" className="secondary">
              {q.assignToMe}
            </button>
            {beside === "assign" ? outcome("assign") : null}
          </form>
          <form action={noteAction} className="stack" id="form-note">
            {hidden}
            <label htmlFor="note">{q.note}</label>
            <input id="note" name="note" type="text" required maxLength={2000} />
            <button type="submit" className="secondary">
              {q.addNote}
            </button>
            {beside === "note" ? outcome("note") : null}
          </form>
        </section>
      ) : null}

      <h2 id="timeline-h">{q.timeline}</h2>
      <p data-testid="timeline-count">{q.timelineCount(detail.timeline.total)}</p>
      <ol data-testid="timeline">
        {detail.timeline.rows.map((a) => (
          <li key={a.id.toString()}>
            {clock.dateTime(a.at)} — {q.events[a.action] ?? <code>{a.action}</code>} (
            {m.staff.roles[a.actorRole] ?? a.actorRole}){detailText(a.details)}
          </li>
        ))}
      </ol>
      <Pager
        m={m}
        page={detail.timeline.page}
        pages={detail.timeline.pages}
        label={q.timelinePages}
        href={(p) => `/staff/requests/${r.id}?timeline=${p}#timeline-h`}
        previous={q.newerEvents}
        next={q.olderEvents}
      />
    </>
  );
}

// A reason or note typed by staff is part of the record; shown after the event it explains.
function detailText(details: unknown): string {
  const d = (details ?? {}) as { reason?: unknown; note?: unknown };
  return [d.reason, d.note]
    .filter((v): v is string => typeof v === "string" && v.length > 0)
    .map((v) => `: ${v}`)
    .join("");
}
