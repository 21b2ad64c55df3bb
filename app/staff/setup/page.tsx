import { t } from "../../_lib/locale.ts";
import { staffSetupAction } from "./actions.ts";
import { pageTitle } from "../../_lib/page-title.ts";

export const dynamic = "force-dynamic";

export const generateMetadata = () => pageTitle((m) => m.meta.staffSetup);

// The page of a one-time setup link (npm run admin:first): the new staff member chooses a password.
export default async function StaffSetupPage({
  searchParams,
}: {
  searchParams: Promise<{ email?: string; token?: string; error?: string }>;
}) {
  const { m } = await t();
  const sp = await searchParams;
  const email = typeof sp.email === "string" ? sp.email : "";
  const token = typeof sp.token === "string" ? sp.token : "";
  const error =
    sp.error === "short"
      ? m.staff.setupTooShort
      : sp.error === "generic"
        ? m.errors.generic
        : sp.error || !email || !token
          ? m.staff.setupInvalid
          : null;
  return (
    <>
      <h1>{m.staff.setupTitle}</h1>
      {error ? (
        <p className="status err" role="alert">
          {error}
        </p>
      ) : null}
      {email && token ? (
        <form className="stack" action={staffSetupAction}>
          <p>{m.staff.setupIntro}</p>
          <input type="hidden" name="email" value={email} />
          <input type="hidden" name="token" value={token} />
          <div>
            <label htmlFor="password">{m.staff.setupPassword}</label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={12}
              maxLength={200}
            />
          </div>
          <button type="submit">{m.staff.setupSubmit}</button>
        </form>
      ) : null}
    </>
  );
}
