import { t } from "../../_lib/locale.ts";
import { pageTitle } from "../../_lib/page-title.ts";

export const generateMetadata = () => pageTitle((m) => m.meta.checkEmail);

export default async function CheckEmailPage() {
  const { m } = await t();
  return (
    <>
      <h1>{m.signin.checkTitle}</h1>
      <p role="status">{m.signin.checkBody}</p>
    </>
  );
}
