import { listDevices } from "@/lib/devices/list-devices.ts";
import { listStores } from "@/lib/stores/list-stores.ts";
import { LOCALES, LOCALE_NAMES } from "@/lib/i18n/locales.ts";
import { t } from "../../../_lib/locale.ts";
import { errorText } from "../../../_lib/error-text.ts";
import { staffUser } from "../_lib/guard.ts";
import { pageTitle } from "../../../_lib/page-title.ts";
import { createDisplayAction, revokeDisplayAction } from "./actions.ts";
import { ShowOnceForm } from "../_components/show-once-form.tsx";
import { ScrollTable } from "../../../_components/scroll-table.tsx";
import { storeClock } from "../../../_lib/store-clock.ts";
import { FormOutcome } from "../../../_components/form-outcome.tsx";
import { StoreAndNameFields } from "../_components/store-and-name-fields.tsx";

export const dynamic = "force-dynamic";

export const generateMetadata = () => pageTitle((m) => m.meta.displays);

type Search = { saved?: string; error?: string };

export default async function DisplaysPage({ searchParams }: { searchParams: Promise<Search> }) {
  const [{ m, locale }, search] = await Promise.all([t(), searchParams]);
  const user = await staffUser("ADMIN");
  if (!user) return <p role="alert">{m.staff.adminOnly}</p>;
  const [displays, stores] = await Promise.all([listDevices(), listStores()]);
  const d = m.staff.displays;
  const error = errorText(m, search.error);
  return (
    <>
      <h1 id="displays-h">{d.title}</h1>
      <FormOutcome saved={search.saved ? m.staff.saved : null} error={error} />
      <section className="card" aria-labelledby="display-create-h">
        <h2 id="display-create-h">{d.create}</h2>
        <ShowOnceForm
          fields={["url"]}
          testId="pairing-link"
          action={createDisplayAction}
          labels={{
            once: d.pairingOnce,
            errors: m.errors as unknown as Record<string, string>,
            generic: m.errors.generic,
          }}
        >
          <StoreAndNameFields
            idPrefix="display-"
            stores={stores}
            labels={{ store: m.staff.store, name: m.staff.name }}
          />
          <div>
            <label htmlFor="display-kind">{d.kind}</label>
            <select id="display-kind" name="kind" defaultValue="DISPLAY">
              <option value="DISPLAY">{d.kinds.DISPLAY}</option>
              <option value="KIOSK">{d.kinds.KIOSK}</option>
            </select>
          </div>
          <button type="submit">{d.create}</button>
        </ShowOnceForm>
      </section>
      <ScrollTable labelledBy="displays-h">
        <table data-testid="displays">
          <thead>
            <tr>
              <th scope="col">{d.display}</th>
              <th scope="col">{d.kind}</th>
              <th scope="col">{m.staff.store}</th>
              <th scope="col">{m.staff.state}</th>
              <th scope="col">{d.lastSeen}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {displays.map((x) => (
              <tr key={x.id} data-testid={`display-${x.id}`}>
                <td>
                  {x.name}
                  <br />
                  <code>{x.id}</code>
                </td>
                <td>{d.kinds[x.kind] ?? x.kind}</td>
                <td>{x.storeName}</td>
                <td>{d.states[x.state] ?? x.state}</td>
                <td>{x.lastSeenAt ? storeClock(locale, x.storeTimezone).dateTime(x.lastSeenAt) : d.never}</td>
                <td>
                  {x.state !== "REVOKED" ? (
                    <form action={revokeDisplayAction}>
                      <input type="hidden" name="device" value={x.id} />
                      <button type="submit" className="secondary" aria-label={`${d.revoke}: ${x.name}`}>
                        {d.revoke}
                      </button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
      <section className="card" aria-labelledby="signs-h">
        <h2 id="signs-h">{d.signs}</h2>
        <p>{d.signsBody}</p>
        {stores.map((s) => (
          <div key={s.slug}>
            <h3>{d.signsOf(s.name)}</h3>
            <ul>
              {LOCALES.map((l) => (
                <li key={l}>
                  <a
                    href={`/api/staff/signs/${s.slug}?locale=${l}`}
                    download={`veil-sign-${s.slug}-${l}.svg`}
                    data-testid={`sign-${s.slug}-${l}`}
                  >
                    {d.downloadSign(LOCALE_NAMES[l])}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>
    </>
  );
}
