import { t } from "../../_lib/locale.ts";
import { staffSignInAction } from "./actions.ts";
import { pageTitle } from "../../_lib/page-title.ts";

export const generateMetadata = () => pageTitle((m) => m.meta.staffSignin);

export default async function StaffSignInPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; saved?: string }>;
}) {
  const { m } = await t();
  const { error, saved } = await searchParams;
  return (
    <>
      <h1>{m.staff.signinTitle}</h1>
      {saved === "setup" ? (
        <p className="status ok" role="status">
          {m.staff.setupDone}
        </p>
      ) : null}
      {error ? (
        <p className="status err" role="alert">
          {error === "locked" ? m.authError.locked : m.authError.credentials}
        </p>
      ) : null}
      <form className="stack" action={staffSignInAction}>
        <div>
          <label htmlFor="email">{m.staff.email}</label>
          <input id="email" name="email" type="email" autoComplete="username" required />
        </div>
        <div>
          <label htmlFor="password">{m.staff.password}</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <button type="submit">{m.staff.submit}</button>
      </form>
    </>
  );
}
