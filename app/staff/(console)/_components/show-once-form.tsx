"use client";

import { useActionState, type ReactNode } from "react";
import type { ActionOutcome } from "../../../_lib/form-action.ts";

/**
 * A form whose result is a secret shown once on this page and never stored in the browser (a
 * camera's signing secret, a display's pairing link): the named fields of the result, one per line.
 */
export function ShowOnceForm<T extends Record<string, string>>(props: {
  action: (prev: unknown, data: FormData) => Promise<ActionOutcome<T>>;
  /** Which fields of the result to show, in order (names, not a function: this crosses to the client). */
  fields: (keyof T & string)[];
  testId: string;
  children: ReactNode;
  labels: { once: string; errors: Record<string, string>; generic: string };
}) {
  const [state, formAction, pending] = useActionState(props.action, null);
  return (
    <form action={formAction} className="stack" aria-busy={pending}>
      {props.children}
      {state?.ok ? (
        <p className="status ok" role="status" data-testid={props.testId}>
          {props.labels.once}
          {props.fields.map((f) => (
            <span key={f}>
              <br />
              <code>{state.value[f]}</code>
            </span>
          ))}
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
