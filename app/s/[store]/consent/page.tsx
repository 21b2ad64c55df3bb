import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user.ts";
import { getConsentOverview, HISTORY_PER_PAGE } from "@/lib/consent/get-consent-overview.ts";
import { storeNoticeOr404 } from "../../../_lib/store-notice-or-404.ts";
import { messages, type Messages } from "@/lib/i18n/messages.ts";
import { requestLocale } from "../../../_lib/locale.ts";
import { errorText } from "../../../_lib/error-text.ts";
import { changeConsentAction } from "./actions.ts";
import { checkOutAction, deleteTemplateAction } from "./presence-actions.ts";
import { issueKioskCodeAction } from "./kiosk-actions.ts";
import { KioskCode } from "./kiosk-code.tsx";
import { activeCheckIn } from "@/lib/presence/active-check-in.ts";
import { getTemplateStatus } from "@/lib/templates/get-template-status.ts";
import { ScrollTable } from "../../../_components/scroll-table.tsx";
import { mayKeepVisits } from "@/lib/consent/withdrawal-effects.ts";
import { storePageTitle } from "../../../_lib/store-page-title.ts";
import { pageParam } from "../../../_lib/page-param.ts";
import { Pager } from "../../../_components/pager.tsx";
import { storeZone } from "@/lib/stores/store-zone.ts";

export const dynamic = "force-dynamic";

type Search = {
  saved?: string;
  error?: string;
  purpose?: string;
  deleted?: string;
  cleared?: string;
  history?: string | string[];
};

export async function generateMetadata({ params }: { params: Promise<{ store: string }> }) {
  return storePageTitle((await params).store, (m, store) => m.meta.consent(store));
}

export default async function ConsentPage(props: {
  params: Promise<{ store: string }>;
  searchParams: Promise<Search>;
}) {
  const [{ store: slug }, search] = await Promise.all([props.params, props.searchParams]);
  const loaded = await storeNoticeOr404(slug);
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/s/${slug}/consent`)}`);
  const locale = await requestLocale(loaded.store.defaultLocale);
  const m = messages(locale);
  const historyPage = pageParam(search.history);
  const [overview, template] = await Promise.all([
    getConsentOverview(user.id, slug, { historyPage }),
    getTemplateStatus(user.id),
  ]);
  const historyPages = Math.max(1, Math.ceil(overview.historyCount / HISTORY_PER_PAGE));
  // Past the last page (an old link): the last one rather than an empty table.
  if (historyPage > historyPages) redirect(`/s/${slug}/consent?history=${historyPages}#history-h`);
  const recognitionOn = overview.purposes.some((p) => p.purpose === "recognition" && p.status === "granted");
  const checkedIn = recognitionOn ? await activeCheckIn(user.id, overview.storeId) : null;
  const timeFmt = new Intl.DateTimeFormat(locale, {
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
    timeZone: storeZone(loaded.store.timezone),
  });
  const c = m.consent;
  const title = (p: string) => (p === "recognition" ? c.recognitionTitle : c.demographicsTitle);
  const body = (p: string) => (p === "recognition" ? c.recognitionBody : c.demographicsBody);
  // The store's clock, zone named (timeStyle "long"), as My data and the staff pages show it.
  const fmt = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "long",
    timeZone: storeZone(loaded.store.timezone),
  });

  return (
    <>
      <h1>{c.title(loaded.store.name)}</h1>
      <p>
        {c.intro} <a href={`/s/${slug}`}>{c.readNotice}</a>
      </p>
      {/* An outcome about one purpose is shown in that purpose's card, beside its switch (the redirect
          scrolls there); everything else here, at the top. */}
      {overview.purposes.some((p) => p.purpose === search.purpose) ? null : (
        <StatusMessage search={search} m={m} what="" />
      )}

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
                  <span className={`badge ${status}`} data-testid={`status-${purpose}`}>
                    {c.status[status]}
                  </span>
                </p>
                {status === "lapsed" ? <p className="muted">{c.lapsedHelp}</p> : null}
              </div>
              <form action={changeConsentAction}>
                <input type="hidden" name="store" value={slug} />
                <input type="hidden" name="purpose" value={purpose} />
                <input type="hidden" name="noticeVersion" value={overview.noticeVersion} />
                <input type="hidden" name="intent" value={on ? "revoke" : "grant"} />
                {on && purpose === "recognition" && mayKeepVisits(loaded.store.jurisdiction) ? (
                  <p>
                    <input
                      type="checkbox"
                      id="keep-visits"
                      name="keepVisits"
                      data-testid="keep-visits"
                      aria-describedby="keep-visits-help"
                    />{" "}
                    <label htmlFor="keep-visits">{c.keepVisits}</label>
                    <br />
                    <span id="keep-visits-help" className="muted">
                      {c.keepVisitsHelp}
                    </span>
                  </p>
                ) : null}
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
            {search.purpose === purpose ? <StatusMessage search={search} m={m} what={title(purpose)} /> : null}
          </section>
        );
      })}

      {recognitionOn && loaded.store.recognitionEnabled ? (
        <section className="card" id="presence" aria-labelledby="presence-h">
          <h2 id="presence-h">{m.presence.title}</h2>
          {loaded.store.recognitionMode === "ALWAYS" ? (
            <p>{m.presence.alwaysOn}</p>
          ) : (
            <>
              <p>{m.presence.body}</p>
              <p data-testid="presence-status">
                {checkedIn ? m.presence.checkedInUntil(timeFmt.format(checkedIn.expiresAt)) : m.presence.notCheckedIn}
              </p>
              {checkedIn ? (
                <form action={checkOutAction}>
                  <input type="hidden" name="store" value={slug} />
                  <button type="submit" className="secondary" data-testid="presence-toggle">
                    {m.presence.checkOut}
                  </button>
                </form>
              ) : (
                // Checking in needs the entrance display's QR code (/s/<store>/here?t=…): being
                // signed in somewhere is no proof of being in the store.
                <p data-testid="presence-scan">{m.presence.scanToCheckIn}</p>
              )}
            </>
          )}
        </section>
      ) : null}

      <section className="card" id="template" aria-labelledby="template-h">
        <h2 id="template-h">{m.template.title}</h2>
        <p>{m.template.body}</p>
        <p>
          <span className="badge" data-testid="template-status">
            {m.template.status[template.status]}
          </span>
          {template.status === "REJECTED" && template.reason ? (
            <span>
              {" "}
              {(m.template.reasons as Record<string, string>)[template.reason.replace(/^quality_.*/, "quality")] ??
                m.errors.generic}
            </span>
          ) : null}
        </p>
        {template.status === "PENDING" ? (
          <p>
            <a href={`/s/${slug}/consent#template`}>{m.template.refresh}</a>
          </p>
        ) : null}
        {!recognitionOn ? (
          <p className="muted">{m.template.needsRecognition}</p>
        ) : checkedIn ? (
          // Enrolment happens at the store's kiosk, with a one-time code asked for here (invariant
          // 10): there is no upload of a photo. The code needs an open check-in made with the
          // entrance display's token (checked again when it is issued), in an always-on store too.
          <KioskCode
            // A deleted template starts the kiosk card afresh (no "enrolled" left on screen).
            key={search.saved === "template-deleted" ? "after-delete" : "kiosk"}
            store={slug}
            action={issueKioskCodeAction}
            locale={locale}
            timeZone={loaded.store.timezone}
            text={{
              button: m.template.kioskButton,
              codeLabel: m.template.kioskCodeLabel,
              help: m.template.kioskCodeHelp("{time}"),
              waiting: m.template.kioskWaiting,
              processing: m.template.kioskProcessing,
              enrolled: m.template.kioskEnrolled,
              refused: m.template.kioskRefused("{reason}"),
              expired: m.template.kioskExpired,
              again: m.template.kioskAgain,
              reasons: m.template.reasons,
              errors: m.errors as unknown as Record<string, string>,
              generic: m.errors.generic,
            }}
          />
        ) : (
          <p data-testid="kiosk-needs-check-in">{m.template.kioskNeedsCheckIn}</p>
        )}
        {template.status !== "NONE" ? (
          <form action={deleteTemplateAction}>
            <input type="hidden" name="store" value={slug} />
            <button type="submit" className="secondary" data-testid="template-delete">
              {m.template.delete}
            </button>
          </form>
        ) : null}
      </section>

      <section aria-labelledby="history-h">
        <h2 id="history-h">{c.historyTitle}</h2>
        {overview.historyCount === 0 ? (
          <p className="muted">{c.historyEmpty}</p>
        ) : (
          <p data-testid="history-count">{c.historyCount(overview.historyCount)}</p>
        )}
        {overview.historyCount === 0 ? null : (
          <ScrollTable labelledBy="history-h">
            <table data-testid="history">
              <thead>
                <tr>
                  <th scope="col">{c.when}</th>
                  <th scope="col">{c.purpose}</th>
                  <th scope="col">{c.action}</th>
                  <th scope="col">{c.noticeVersion}</th>
                  <th scope="col">{c.receipt}</th>
                </tr>
              </thead>
              <tbody>
                {overview.history.map((h) => (
                  <tr key={h.id}>
                    <td>
                      <time dateTime={h.occurredAt.toISOString()}>{fmt.format(h.occurredAt)}</time>
                    </td>
                    <td>{title(h.purpose)}</td>
                    <td className="word">{h.action === "GRANT" ? c.given : c.withdrawn}</td>
                    <td>v{h.noticeVersion}</td>
                    <td>
                      {/* No download attribute: the response is an attachment, so the page
                          stays; a link that leads nowhere is followed to the route's redirect. */}
                      <a href={`/api/consent-receipts/${h.id}`} aria-label={`${c.download} #${h.id}`}>
                        {c.download}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        )}
        <Pager
          m={m}
          page={historyPage}
          pages={historyPages}
          label={c.historyPages}
          href={(p) => `/s/${slug}/consent?history=${p}#history-h`}
          previous={c.newerHistory}
          next={c.olderHistory}
        />
      </section>
    </>
  );
}

function StatusMessage({ search, m, what }: { search: Search; m: Messages; what: string }) {
  const saved: Record<string, string> = {
    grant: m.consent.granted(what),
    revoke: m.consent.revoked(what),
    checkin: m.presence.checkedIn,
    checkout: m.presence.checkedOut,
    "template-deleted": m.template.deleted,
  };
  if (search.saved && saved[search.saved]) {
    // A withdrawal says what it deleted (counts come back from the action, not from the shopper).
    const count = (v?: string) => (/^\d{1,9}$/.test(v ?? "") ? Number(v) : 0);
    const [deleted, cleared] = [count(search.deleted), count(search.cleared)];
    const effects =
      search.saved === "revoke" && deleted + cleared > 0 ? ` ${m.consent.withdrawalDeleted(deleted, cleared)}` : "";
    return (
      <p className="status ok" role="status" aria-live="polite">
        {saved[search.saved]}
        {effects}
      </p>
    );
  }
  if (search.error) {
    return (
      <p className="status err" role="alert" aria-live="assertive">
        {errorText(m, search.error)}
      </p>
    );
  }
  return null;
}
