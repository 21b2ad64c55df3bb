import { t } from "./_lib/locale.ts";

export default async function NotFound() {
  const { m } = await t();
  return (
    <>
      {/* not-found has no generateMetadata: React puts this <title> in the head. */}
      <title>{m.meta.title(m.meta.notFound)}</title>
      <h1>{m.errors.notFoundTitle}</h1>
      <p>{m.errors.notFoundBody}</p>
    </>
  );
}
