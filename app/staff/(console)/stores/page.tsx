import { listStoresWithSettings } from "@/lib/stores/list-stores.ts";
import { countEnrolledByController } from "@/lib/templates/count-enrolled.ts";
import { t } from "../../../_lib/locale.ts";
import { errorText } from "../../../_lib/error-text.ts";
import { staffUser } from "../_lib/guard.ts";
import { setRecognitionAction } from "./actions.ts";
import { pageTitle } from "../../../_lib/page-title.ts";
import { FormOutcome } from "../../../_components/form-outcome.tsx";

export const dynamic = "force-dynamic";

export const generateMetadata = () => pageTitle((m) => m.meta.stores);

export default async function StoresPage({
  searchParams,
}: {
  searchParams: Promise<{ saved?: string; error?: string }>;
}) {
  const { m } = await t();
  const user = await staffUser("ADMIN");
  if (!user) return <p role="alert">{m.staff.adminOnly}</p>;
  const sp = await searchParams;
  const [stores, enrolled] = await Promise.all([listStoresWithSettings(), countEnrolledByController()]);
  return (
    <>
      <h1>{m.staff.nav.stores}</h1>
      <FormOutcome saved={sp.saved ? m.staff.saved : null} error={sp.error ? errorText(m, sp.error) : null} />
      {enrolled.map((e) => (
        <p
          key={e.controller}
          className={e.warn ? "status err" : "muted"}
          role={e.warn ? "alert" : undefined}
          data-testid="enrolled-count"
        >
          {e.controller}: {m.staff.enrolled(e.people)}
          {e.warn ? ` — ${m.staff.filingWarning}` : ""}
        </p>
      ))}
      {stores.map((s) => (
        <section className="card" key={s.id}>
          <h2>
            {s.name} <span className="muted">/s/{s.slug}</span>
          </h2>
          <form action={setRecognitionAction} className="stack">
            <input type="hidden" name="store" value={s.slug} />
            <fieldset>
              <legend>{m.staff.recognition}</legend>
              {(["OFF", "PRESENCE", "ALWAYS"] as const).map((v) => {
                const current = !s.recognitionEnabled ? "OFF" : s.recognitionMode;
                return (
                  <label key={v} style={{ fontWeight: 400 }}>
                    <input type="radio" name="setting" value={v} defaultChecked={current === v} />{" "}
                    {v === "OFF" ? m.staff.off : v === "PRESENCE" ? m.staff.presence : m.staff.always}
                  </label>
                );
              })}
            </fieldset>
            <button type="submit">{m.staff.save}</button>
          </form>
        </section>
      ))}
    </>
  );
}
