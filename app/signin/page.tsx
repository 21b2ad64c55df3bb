import { t } from "../_lib/locale.ts";
import { safePath } from "../_lib/safe-path.ts";
import { emailSignInAction } from "./actions.ts";
import { pageTitle } from "../_lib/page-title.ts";

export const generateMetadata = () => pageTitle((m) => m.meta.signin);

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { m } = await t();
  const sp = await searchParams;
  const callbackUrl = safePath(sp.callbackUrl, "/");
  const error =
    sp.error === "invalid_email"
      ? m.signin.invalidEmail
      : sp.error === "rate_limited"
        ? m.signin.tooMany
        : sp.error
          ? m.signin.failed
          : null;
  return (
    <>
      <h1>{m.signin.title}</h1>
      <p>{m.signin.intro}</p>
      {error ? (
        <p className="status err" role="alert">
          {error}
        </p>
      ) : null}
      <form className="stack" action={emailSignInAction}>
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <div>
          <label htmlFor="email">{m.signin.email}</label>
          <input id="email" name="email" type="email" autoComplete="email" inputMode="email" required maxLength={320} />
        </div>
        <button type="submit">{m.signin.submit}</button>
      </form>
    </>
  );
}
