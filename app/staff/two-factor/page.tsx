import { redirect } from "next/navigation";
import { t } from "../../_lib/locale.ts";
import { pageTitle } from "../../_lib/page-title.ts";
import { signInState } from "@/lib/auth/sign-in-state.ts";
import { startTotpEnrolment } from "@/lib/auth/start-totp-enrolment.ts";
import { signOutAction } from "../../signin/actions.ts";
import { confirmEnrolmentAction, verifySecondFactorAction } from "./actions.ts";
import { EnrolForm } from "./enrol-form.tsx";

export const dynamic = "force-dynamic";

export const generateMetadata = () => pageTitle((m) => m.meta.staffTwoFactor);

// An administrator's second step after the password (docs/decisions/0006-admin-totp.md): set up
// an authenticator the first time, then a code on every sign-in. Until then no console page opens.
export default async function TwoFactorPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { m } = await t();
  const T = m.staff.twoFactor;
  const { error } = await searchParams;
  const state = await signInState();
  if (!state || !state.sid) redirect("/staff/signin");
  if (state.factor === "none" || state.factor === "ok") redirect("/staff");
  const errors: Record<string, string> = { wrong_code: T.wrongCode, locked: T.locked, invalid_input: T.wrongCode };
  const cancel = (
    <form action={signOutAction}>
      <button type="submit" className="secondary">
        {T.cancel}
      </button>
    </form>
  );
  if (state.factor === "enrol") {
    const enrolment = await startTotpEnrolment(state.user);
    if (!enrolment) redirect("/staff/two-factor");
    const grouped = enrolment.secret.match(/.{1,4}/g)!.join(" ");
    return (
      <>
        <h1>{T.enrolTitle}</h1>
        <p>{T.enrolIntro}</p>
        {/* A data URL made on the server: next/image has nothing to optimise, and no image service sees the secret. */}
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img
          src={`data:image/svg+xml;base64,${Buffer.from(enrolment.qrSvg).toString("base64")}`}
          alt={T.qrAlt}
          width={200}
          height={200}
          data-testid="totp-qr"
        />
        <p>
          {T.manualKey}: <code data-testid="totp-secret">{grouped}</code>
        </p>
        <EnrolForm
          action={confirmEnrolmentAction}
          labels={{
            code: T.code,
            confirm: T.confirm,
            recoveryTitle: T.recoveryTitle,
            recoveryIntro: T.recoveryIntro,
            continue: T.continue,
            errors,
          }}
        />
        {cancel}
      </>
    );
  }
  return (
    <>
      <h1>{T.verifyTitle}</h1>
      <p>{T.verifyIntro}</p>
      {error ? (
        <p className="status err" role="alert">
          {errors[error] ?? T.wrongCode}
        </p>
      ) : null}
      <form className="stack" action={verifySecondFactorAction}>
        <div>
          <label htmlFor="code">{T.codeOrRecovery}</label>
          <input id="code" name="code" autoComplete="one-time-code" maxLength={64} required autoFocus />
        </div>
        <button type="submit">{T.verify}</button>
      </form>
      {cancel}
    </>
  );
}
