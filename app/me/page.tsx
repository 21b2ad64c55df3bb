import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user.ts";
import { collectSubjectData } from "@/lib/requests/collect-subject-data.ts";
import { listStores } from "@/lib/stores/list-stores.ts";
import { t } from "../_lib/locale.ts";
import { errorText } from "../_lib/error-text.ts";
import { cancelRequestAction, requestCopyAction } from "./actions.ts";
import { pageTitle } from "../_lib/page-title.ts";
import { storeClock } from "../_lib/store-clock.ts";
import { isCancellable, isFinished } from "@/lib/requests/request-status.ts";
import { FormOutcome } from "../_components/form-outcome.tsx";
import { Pager } from "../_components/pager.tsx";
import { pageParam } from "../_lib/page-param.ts";

// Visits per page: a shopper seen daily for years still gets a small page; the export has them all.
const VISITS_PER_PAGE = 20;

export const dynamic = "force-dynamic";

export const generateMetadata = () => pageTitle((m) => m.meta.me);

export default async function MyDataPage({
  searchParams,
}: {
  searchParams: Promise<{ saved?: string; error?: string; visits?: string | string[] }>;
}) {
  const { locale, m } = await t();
  const user = await currentUser();
  if (!user) redirect("/signin?callbackUrl=/me");
  const sp = await searchParams;
  const visitPage = pageParam(sp.visits);
  const [data, stores] = await Promise.all([
    collectSubjectData(user.id, { skip: (visitPage - 1) * VISITS_PER_PAGE, take: VISITS_PER_PAGE }),
    listStores(),
  ]);
  const pages = Math.max(1, Math.ceil(data.visitCount / VISITS_PER_PAGE));
  // Past the last page (an old link after visits expired): show the last one instead of nothing.
  if (visitPage > pages) redirect(`/me?visits=${pages}#visits-h`);
  const clock = (s: { timezone: string }) => storeClock(locale, s.timezone);
  const stay = (from: Date, to: Date) => {
    const min = Math.floor((to.getTime() - from.getTime()) / 60_000);
    return min < 1 ? m.me.stayShort : m.me.stayLength(Math.floor(min / 60), min % 60);
  };
  // A receipt link that led nowhere comes back to the consents card (app/api/consent-receipts);
  // every other outcome belongs to the requests card's forms.
  const receiptError = sp.error === "receipt_unavailable" ? m.errors.receipt_unavailable : null;
  const error = receiptError ? null : sp.error === "conflict" ? m.me.alreadyOpen : errorText(m, sp.error);
  return (
    <>
      <h1>{m.me.title}</h1>

      <section className="card" id="consents" aria-labelledby="consents-h">
        <h2 id="consents-h">{m.me.consents}</h2>
        <FormOutcome saved={null} error={receiptError} />
        <ul>
          {data.states.map((s) => (
            <li key={`${s.storeId}-${s.purposeCode}`}>
              <a href={`/s/${s.store.slug}/consent`}>{s.store.name}</a>:{" "}
              {s.purposeCode === "recognition" ? m.consent.recognitionTitle : m.consent.demographicsTitle} —{" "}
              {s.status === "GRANTED" ? m.consent.status.granted : m.consent.status.revoked}
            </li>
          ))}
        </ul>
        {data.states.length === 0 ? <p className="muted">{m.consent.historyEmpty}</p> : null}
      </section>

      <section className="card" aria-labelledby="template-h">
        <h2 id="template-h">{m.me.template}</h2>
        <p data-testid="me-template">{m.template.status[data.template?.status ?? "NONE"]}</p>
      </section>

      <section className="card" aria-labelledby="visits-h">
        <h2 id="visits-h">{m.me.visits}</h2>
        {data.visitCount === 0 ? (
          <p className="muted">{m.me.noVisits}</p>
        ) : (
          <>
            <p data-testid="visit-count">{m.me.visitCount(data.visitCount)}</p>
            <ul data-testid="visits">
              {data.visits.map((v) => (
                <li key={v.id}>
                  {[
                    v.store.name,
                    `${clock(v.store).range(v.firstSeenAt, v.lastSeenAt)} (${stay(v.firstSeenAt, v.lastSeenAt)})`,
                    m.me.seenBy(v.cameras.map((c) => c.name).join(", ")),
                    m.me.sightings(v.sightings),
                    ...(v.ageBand ? [`${v.ageBand}, ${m.me.gender[v.gender ?? ""] ?? "—"}`] : []),
                  ].join(" — ")}
                </li>
              ))}
            </ul>
            <Pager
              m={m}
              page={visitPage}
              pages={pages}
              label={m.me.visitPages}
              href={(p) => `/me?visits=${p}#visits-h`}
              previous={m.me.newerVisits}
              next={m.me.olderVisits}
            />
          </>
        )}
      </section>

      {data.withdrawals.length ? (
        <section className="card" aria-labelledby="withdrawals-h">
          <h2 id="withdrawals-h">{m.me.withdrawals}</h2>
          <ul data-testid="withdrawals">
            {data.withdrawals.map((w, i) => (
              <li key={i}>
                {m.me.withdrawalLine(
                  w.storeName,
                  storeClock(locale, w.storeTimezone).dateTime(w.at),
                  w.visitsDeleted,
                  w.demographicsCleared,
                )}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="card" id="requests" aria-labelledby="requests-h">
        <h2 id="requests-h">{m.me.requests}</h2>
        {/* Every form of this page is in this card and comes back to it (#requests): the outcome is
            shown here, where the shopper is, not at the top of a long page. */}
        <FormOutcome
          saved={sp.saved ? (sp.saved === "cancelled" ? m.me.cancelled : m.me.submitted) : null}
          error={error}
        />
        {data.requests.length === 0 ? <p className="muted">{m.me.noRequests}</p> : null}
        <ul data-testid="requests">
          {data.requests.map((r) => (
            <li key={r.id} data-testid={`request-${r.kind}`}>
              <strong>{m.me.kind[r.kind]}</strong> — {r.store.name} —{" "}
              <span data-testid="request-status">{m.me.status[r.status]}</span>
              <br />
              <span className="muted">
                {m.me.reference}: <span className="reference">{r.id}</span>
              </span>
              <br />
              {/* A finished request says when it finished; only an open one has a deadline to show. */}
              <span className="muted" data-testid="request-date">
                {isFinished(r.status)
                  ? m.me.finished(clock(r.store).date(r.completedAt ?? r.updatedAt))
                  : m.me.due(clock(r.store).date(r.extendedDueAt ?? r.dueAt))}
              </span>
              {!isFinished(r.status) && r.extendedDueAt && r.extensionReason ? (
                <>
                  <br />
                  {m.me.extended(clock(r.store).date(r.extendedDueAt), r.extensionReason)}
                </>
              ) : null}
              {r.status === "REJECTED" && r.rejectionReason ? (
                <>
                  <br />
                  {m.me.refused(r.rejectionReason)}
                  <br />
                  {m.me.complain(r.store.complaintAuthority || m.me.authorityFallback)}
                  {r.store.complaintUrl ? (
                    <>
                      {" "}
                      (<a href={r.store.complaintUrl}>{r.store.complaintUrl}</a>)
                    </>
                  ) : null}
                </>
              ) : null}
              {r.status === "COMPLETED" && r.exportPath && r.exportExpiresAt && r.exportExpiresAt > new Date() ? (
                <>
                  <br />
                  {/* No download attribute: the response is an attachment, so the page stays; and
                      should it have expired meanwhile, the browser follows the route's redirect
                      back here to the message instead of saving that page as a file. */}
                  <a href={`/api/me/exports/${r.id}`} data-testid="export-link">
                    {m.me.download}
                  </a>{" "}
                  <span className="muted">{m.me.expires(clock(r.store).date(r.exportExpiresAt))}</span>
                </>
              ) : null}
              {isCancellable(r.status) ? (
                <form action={cancelRequestAction}>
                  <input type="hidden" name="request" value={r.id} />
                  <button type="submit" className="secondary">
                    {m.me.cancel}
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
        <form action={requestCopyAction} className="stack">
          <label htmlFor="store-copy">{m.me.store}</label>
          <select id="store-copy" name="store">
            {stores.map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name}
              </option>
            ))}
          </select>
          <button type="submit">{m.me.askCopy}</button>
        </form>
        <p>
          <a href="/me/erase">{m.me.askErase}</a>
        </p>
      </section>
    </>
  );
}
