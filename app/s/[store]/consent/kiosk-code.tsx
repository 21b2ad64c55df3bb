"use client";

import { useActionState, useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import type { ActionOutcome } from "../../../_lib/form-action.ts";

type Issued = { enrolmentId: string; code: string; expiresAt: string };
type Status = "ISSUED" | "PROCESSING" | "ENROLLED" | "REFUSED" | "EXPIRED";

export type KioskCodeText = {
  button: string;
  codeLabel: string;
  help: string; // with "{time}" where the code's expiry goes
  waiting: string;
  processing: string;
  enrolled: string;
  refused: string; // with "{reason}"
  expired: string;
  again: string;
  reasons: Record<string, string>;
  errors: Record<string, string>;
  generic: string;
};

const POLL_MS = 1500;

/**
 * "Enrol at the kiosk": asks for a one-time code (shown once, here only), then follows what the
 * kiosk does with it until the outcome, and refreshes the page's template status when it is known.
 */
export function KioskCode(props: {
  store: string;
  action: (prev: unknown, data: FormData) => Promise<ActionOutcome<Issued>>;
  text: KioskCodeText;
  locale: string;
  timeZone: string;
}) {
  const [state, formAction, pending] = useActionState(props.action, null);
  const issued = state?.ok ? state.value : null;
  const [status, setStatus] = useState<{ id: string; status: Status; reason: string | null } | null>(null);
  const router = useRouter();
  const t = props.text;
  const current = issued && status?.id === issued.enrolmentId ? status : null;
  const done = current && ["ENROLLED", "REFUSED", "EXPIRED"].includes(current.status);

  useEffect(() => {
    if (!issued || done) return;
    let stopped = false;
    const timer = setInterval(async () => {
      const res = await fetch(`/api/me/kiosk-enrolments/${issued.enrolmentId}`, { cache: "no-store" }).catch(
        () => null,
      );
      if (!res?.ok || stopped) return;
      const v = (await res.json()) as { status: Status; reason: string | null };
      setStatus({ id: issued.enrolmentId, status: v.status, reason: v.reason });
      if (v.status === "ENROLLED" || v.status === "REFUSED") router.refresh();
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [issued, done, router]);

  const time = issued
    ? new Intl.DateTimeFormat(props.locale, { timeStyle: "short", timeZone: props.timeZone }).format(
        new Date(issued.expiresAt),
      )
    : "";
  const reasonText = (r: string | null) => t.reasons[(r ?? "").replace(/^quality_.*/, "quality")] ?? t.generic;
  const line = !current
    ? t.waiting
    : current.status === "ENROLLED"
      ? t.enrolled
      : current.status === "REFUSED"
        ? t.refused.replace("{reason}", reasonText(current.reason))
        : current.status === "EXPIRED"
          ? t.expired
          : current.status === "PROCESSING"
            ? t.processing
            : t.waiting;

  return (
    <form action={formAction} className="stack" aria-busy={pending}>
      <input type="hidden" name="store" value={props.store} />
      {issued && !done ? (
        <div className="card" data-testid="kiosk-code-card">
          <p>{t.codeLabel}</p>
          <p className="kiosk-code" data-testid="kiosk-code" aria-label={issued.code.split("").join(" ")}>
            {issued.code}
          </p>
          <p>{t.help.replace("{time}", time)}</p>
        </div>
      ) : null}
      {issued ? (
        <p
          className={`status ${current?.status === "REFUSED" || current?.status === "EXPIRED" ? "err" : "ok"}`}
          role="status"
          aria-live="polite"
          data-testid="kiosk-status"
          data-status={current?.status ?? "ISSUED"}
        >
          {line}
        </p>
      ) : null}
      {state && !state.ok ? (
        <p className="status err" role="alert" data-testid="kiosk-error">
          {t.errors[state.code] ?? t.generic}
        </p>
      ) : null}
      {!issued || done ? (
        <button type="submit" data-testid="kiosk-enrol">
          {issued ? t.again : t.button}
        </button>
      ) : null}
    </form>
  );
}
