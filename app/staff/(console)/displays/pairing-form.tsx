"use client";

import { useActionState, type ReactNode } from "react";
import type { ActionOutcome } from "../../../_lib/form-action.ts";

type Pairing = { deviceId: string; url: string };

/** A form whose result is a one-time pairing link, shown once on this page and never stored in the browser. */
export function PairingForm(props: {
  action: (prev: unknown, data: FormData) => Promise<ActionOutcome<Pairing>>;
  children: ReactNode;
  labels: { once: string; errors: Record<string, string>; generic: string };
}) {
  const [state, formAction, pending] = useActionState(props.action, null);
  return (
    <form action={formAction} className="stack" aria-busy={pending}>
      {props.children}
      {state?.ok ? (
        <p className="status ok" role="status" data-testid="pairing-link">
          {props.labels.once}
          <br />
          <code>{state.value.url}</code>
        </p>
      ) : null}
      {state && !state.ok ? (
        <p className="status err" role="alert">
          {props.labels.errors[state.code] ?? props.labels.generic}
        </p>
      ) : null}
    </form>
  );
}
