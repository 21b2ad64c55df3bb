import { t } from "../../_lib/locale.ts";

export default async function CheckEmailPage() {
  const { m } = await t();
  return (
    <>
      <h1>{m.signin.checkTitle}</h1>
      <p role="status">{m.signin.checkBody}</p>
    </>
  );
}
