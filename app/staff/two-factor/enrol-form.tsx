"use client";

import { useActionState } from "react";
import type { EnrolState } from "./actions.ts";

type Labels = {
  code: string;
  confirm: string;
  recoveryTitle: string;
  recoveryIntro: string;
  continue: string;
  errors: Record<string, string>;
};

/** The enrolment's confirm step; its answer, the recovery codes, is shown here once and kept nowhere in the browser. */
export function EnrolForm(props: {
  action: (prev: EnrolState, data: FormData) => Promise<EnrolState>;
  labels: Labels;
}) {
  const [state, formAction, pending] = useActionState(props.action, null);
  const L = props.labels;
  if (state?.ok) {
    return (
      <section aria-labelledby="recovery-h" className="stack">
        <h2 id="recovery-h">{L.recoveryTitle}</h2>
        <p>{L.recoveryIntro}</p>
        <ul data-testid="recovery-codes">
          {state.codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <a href="/staff">{L.continue}</a>
      </section>
    );
  }
  return (
    <form action={formAction} className="stack" aria-busy={pending}>
      {state && !state.ok ? (
        <p className="status err" role="alert">
          {L.errors[state.code] ?? L.errors.wrong_code}
        </p>
      ) : null}
      <div>
        <label htmlFor="code">{L.code}</label>
        <input
          id="code"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          required
        />
      </div>
      <button type="submit">{L.confirm}</button>
    </form>
  );
}
