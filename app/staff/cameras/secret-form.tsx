"use client";

import { useActionState, type ReactNode } from "react";
import type { SecretState } from "./actions.ts";

/** A form whose result is a camera secret, shown once on this page and never stored in the browser. */
export function SecretForm(props: {
  action: (prev: SecretState, data: FormData) => Promise<SecretState>;
  children: ReactNode;
  labels: { once: string; error: string };
}) {
  const [state, formAction, pending] = useActionState(props.action, {});
  return (
    <form action={formAction} className="stack" aria-busy={pending}>
      {props.children}
      {state.secret ? (
        <p className="status ok" role="status" data-testid="camera-secret">
          {props.labels.once}
          <br />
          <code>{state.cameraId}</code>
          <br />
          <code>{state.secret}</code>
        </p>
      ) : null}
      {state.error ? <p className="status err" role="alert">{props.labels.error} ({state.error})</p> : null}
    </form>
  );
}
