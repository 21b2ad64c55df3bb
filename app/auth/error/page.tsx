import { t } from "../../_lib/locale.ts";
import { pageTitle } from "../../_lib/page-title.ts";

export const generateMetadata = () => pageTitle((m) => m.meta.authError);

// Auth.js sends failed sign-ins here; "Verification" means the e-mail link was used or expired.
export default async function AuthErrorPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { m } = await t();
  const { error } = await searchParams;
  const verification = error === "Verification";
  return (
    <>
      <h1>{verification ? m.authError.verificationTitle : m.authError.genericTitle}</h1>
      <p role="alert">{verification ? m.authError.verificationBody : m.authError.genericBody}</p>
      <p>
        <a className="button" href="/signin">
          {m.authError.requestNew}
        </a>
      </p>
    </>
  );
}
