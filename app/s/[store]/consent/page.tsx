import { notFound, redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user.ts";
import { getConsentOverview } from "@/lib/consent/get-consent-overview.ts";
import { loadStoreNotice } from "@/lib/notices/load-store-notice.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { messages, type Messages } from "@/lib/i18n/messages.ts";
import { requestLocale } from "../../../_lib/locale.ts";
import { changeConsentAction } from "./actions.ts";

export const dynamic = "force-dynamic";

type Search = { saved?: string; error?: string; purpose?: string };

export default async function ConsentPage(props: { params: Promise<{ store: string }>; searchParams: Promise<Search> }) {
  const [{ store: slug }, search] = await Promise.all([props.params, props.searchParams]);
  const loaded = await loadStoreNotice(slug).catch((e) => {
    if (isAppError(e, "unknown_store")) notFound();
    throw e;
  });
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/s/${slug}/consent`)}`);
  const locale = await requestLocale(loaded.store.defaultLocale);
  const m = messages(locale);
  const overview = await getConsentOverview(user.id, slug);
  const c = m.consent;
  const title = (p: string) => (p === "recognition" ? c.recognitionTitle : c.demographicsTitle);
  const body = (p: string) => (p === "recognition" ? c.recognitionBody : c.demographicsBody);
  const fmt = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium", timeZone: loaded.store.timezone });

  return (
    <>
      <h1>{c.title(loaded.store.name)}</h1>
      <p>{c.intro} <a href={`/s/${slug}`}>{c.readNotice}</a></p>
      <StatusMessage search={search} m={m} />

      <section className="card" aria-labelledby="p-footfall-h">
        <h2 id="p-footfall-h">{c.footfallTitle}</h2>
        <p>{c.footfallBody}</p>
        <p className="muted">{m.notice.noConsentNeeded}</p>
      </section>

      {overview.purposes.map(({ purpose, status }) => {
        const on = status === "granted";
        return (
          <section className="card" key={purpose} id={`p-${purpose}`} aria-labelledby={`p-${purpose}-h`}>
            <div className="purpose">
              <div className="text">
                <h2 id={`p-${purpose}-h`}>{title(purpose)}</h2>
                <p>{body(purpose)}</p>
                <p>
                  <span className={`badge ${status}`} data-testid={`status-${purpose}`}>{c.status[status]}</span>
                </p>
                {status === "lapsed" ? <p className="muted">{c.lapsedHelp}</p> : null}
              </div>
              <form action={changeConsentAction}>
                <input type="hidden" name="store" value={slug} />
                <input type="hidden" name="purpose" value={purpose} />
                <input type="hidden" name="noticeVersion" value={overview.noticeVersion} />
                <input type="hidden" name="intent" value={on ? "revoke" : "grant"} />
                <button
                  type="submit"
                  role="switch"
                  aria-checked={on}
                  aria-describedby={`p-${purpose}-h`}
                  className={on ? "secondary" : undefined}
                  data-testid={`toggle-${purpose}`}
                >
                  {on ? c.revoke : c.grant}
                </button>
              </form>
            </div>
          </section>
        );
      })}

      <section aria-labelledby="history-h">
        <h2 id="history-h">{c.historyTitle}</h2>
        {overview.history.length === 0 ? (
          <p className="muted">{c.historyEmpty}</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="history">
              <thead>
                <tr><th scope="col">{c.when}</th><th scope="col">{c.purpose}</th><th scope="col">{c.action}</th><th scope="col">{c.noticeVersion}</th><th scope="col">{c.receipt}</th></tr>
              </thead>
              <tbody>
                {overview.history.map((h) => (
                  <tr key={h.id}>
                    <td><time dateTime={h.occurredAt.toISOString()}>{fmt.format(h.occurredAt)}</time></td>
                    <td>{title(h.purpose)}</td>
                    <td>{h.action === "GRANT" ? c.given : c.withdrawn}</td>
                    <td>v{h.noticeVersion}</td>
                    <td><a href={`/api/consent-receipts/${h.id}`} download={`consent-receipt-${h.id}.json`} aria-label={`${c.download} #${h.id}`}>{c.download}</a></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function StatusMessage({ search, m }: { search: Search; m: Messages }) {
  if (search.saved === "grant" || search.saved === "revoke") {
    return <p className="status ok" role="status" aria-live="polite">{search.saved === "grant" ? m.consent.granted : m.consent.revoked}</p>;
  }
  if (search.error) {
    const known = search.error in m.errors ? (m.errors as Record<string, unknown>)[search.error] : undefined;
    return <p className="status err" role="alert">{typeof known === "string" ? known : m.errors.generic}</p>;
  }
  return null;
}
