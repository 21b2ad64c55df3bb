import Link from "next/link";
import { notFound } from "next/navigation";
import { getCountingLineView } from "@/lib/cameras/get-counting-line-view.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { t } from "../../../../_lib/locale.ts";
import { errorText } from "../../../../_lib/error-text.ts";
import { storeClock } from "../../../../_lib/store-clock.ts";
import { pageTitle } from "../../../../_lib/page-title.ts";
import { FormOutcome } from "../../../../_components/form-outcome.tsx";
import { staffUser } from "../../_lib/guard.ts";
import { clearCountingLineAction, saveCountingLineAction } from "../actions.ts";
import { LinePicker } from "./line-picker.tsx";

export const dynamic = "force-dynamic";

export const generateMetadata = () => pageTitle((m) => m.meta.countingLine);

const IDS = { x1: "cl-x1", y1: "cl-y1", x2: "cl-x2", y2: "cl-y2", band: "cl-band" } as const;
// Shown as percentages with one decimal, as the form takes them.
const pct = (v: number) => Math.round(v * 1000) / 10;

export default async function CountingLinePage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ saved?: string; error?: string }>;
}) {
  const { m, locale } = await t();
  const user = await staffUser("ADMIN");
  if (!user) return <p role="alert">{m.staff.adminOnly}</p>;
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const view = await getCountingLineView({ cameraId: id, actor: { id: user.id, role: user.role } }).catch(
    (e: unknown) => {
      if (isAppError(e, "not_found")) notFound();
      throw e;
    },
  );
  const cl = m.staff.countingLine;
  const line = view.line;
  const values = line
    ? { x1: pct(line.x1), y1: pct(line.y1), x2: pct(line.x2), y2: pct(line.y2), band: pct(line.band) }
    : null;
  const clock = storeClock(locale, view.camera.timezone);
  const saved = sp.saved === "line" ? cl.saved : sp.saved === "cleared" ? cl.cleared : null;
  const error = sp.error === "invalid_input" ? cl.badLine : sp.error ? errorText(m, sp.error) : null;
  const field = (k: keyof typeof IDS, max: number) => (
    <p>
      <label htmlFor={IDS[k]}>{cl[k]}</label>
      <input
        id={IDS[k]}
        name={k}
        type="number"
        inputMode="decimal"
        min={0}
        max={max}
        step={0.1}
        required
        defaultValue={values ? values[k] : k === "band" ? 3 : undefined}
        aria-describedby={k === "band" ? "cl-band-hint" : undefined}
      />
    </p>
  );
  return (
    <>
      <p>
        <Link href="/staff/cameras">{cl.back}</Link>
      </p>
      <h1>{cl.title(view.camera.name)}</h1>
      <FormOutcome saved={saved} error={error} />
      <p>{cl.intro}</p>
      <section className="card" aria-labelledby="line-h">
        <h2 id="line-h">{cl.current}</h2>
        <p data-testid="current-line">
          {values ? `(${values.x1} %, ${values.y1} %) → (${values.x2} %, ${values.y2} %), ± ${values.band} %` : cl.none}
        </p>
        {!view.still && <p data-testid="no-still">{cl.noStill}</p>}
        <LinePicker
          src={view.still ? `/api/staff/cameras/${encodeURIComponent(view.camera.id)}/still?f=${view.still.id}` : null}
          alt={view.still ? cl.stillAlt(view.camera.name, clock.dateTime(view.still.capturedAt)) : ""}
          size={view.still ? { width: view.still.width, height: view.still.height } : null}
          initial={values}
          ids={IDS}
          labels={{
            placeholder: cl.placeholder,
            hint: cl.clickHint,
            start: cl.clickStart,
            end: cl.clickEnd,
            into: cl.inLabel,
          }}
        />
        <form action={saveCountingLineAction} data-testid="line-form">
          <input type="hidden" name="camera" value={view.camera.id} />
          <div className="line-fields">
            {field("x1", 100)}
            {field("y1", 100)}
            {field("x2", 100)}
            {field("y2", 100)}
          </div>
          {field("band", 25)}
          <p className="muted" id="cl-band-hint">
            {cl.bandHint}
          </p>
          <button type="submit">{cl.save}</button>
        </form>
        {line && (
          <form action={clearCountingLineAction}>
            <input type="hidden" name="camera" value={view.camera.id} />
            <button type="submit" className="secondary">
              {cl.clear}
            </button>
          </form>
        )}
      </section>
    </>
  );
}
