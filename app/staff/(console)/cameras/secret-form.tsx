"use client";

import { useActionState, type ReactNode } from "react";
import type { ActionOutcome } from "../../../_lib/form-action.ts";

type Secret = { cameraId: string; secret: string };

/** A form whose result is a camera secret, shown once on this page and never stored in the browser. */
export function SecretForm(props: {
  action: (prev: unknown, data: FormData) => Promise<ActionOutcome<Secret>>;
  children: ReactNode;
  labels: { once: string; errors: Record<string, string>; generic: string };
}) {
  const [state, formAction, pending] = useActionState(props.action, null);
  return (
    <form action={formAction} className="stack" aria-busy={pending}>
      {props.children}
      {state?.ok ? (
        <p className="status ok" role="status" data-testid="camera-secret">
          {props.labels.once}
          <br />
          <code>{state.value.cameraId}</code>
          <br />
          <code>{state.value.secret}</code>
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
