import { t } from "./_lib/locale.ts";

export default async function Home() {
  const { m } = await t();
  return (
    <>
      <h1>{m.home.title}</h1>
      <p>{m.home.body}</p>
      <p><a className="button" href="/s/demo">{m.home.demoStore}</a></p>
      <p><a href="/staff/signin">{m.home.staff}</a></p>
    </>
  );
}
