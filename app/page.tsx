import { t } from "./_lib/locale.ts";
import Link from "next/link";

export default async function Home() {
  const { m } = await t();
  return (
    <>
      <h1>{m.home.title}</h1>
      <p>{m.home.body}</p>
      <p><Link className="button" href="/s/demo">{m.home.demoStore}</Link></p>
      <p><Link href="/staff/signin">{m.home.staff}</Link></p>
    </>
  );
}
