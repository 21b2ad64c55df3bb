import { t } from "./_lib/locale.ts";

export default async function NotFound() {
  const { m } = await t();
  return (
    <>
      <h1>{m.errors.notFoundTitle}</h1>
      <p>{m.errors.notFoundBody}</p>
    </>
  );
}
