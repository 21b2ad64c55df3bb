import { t } from "./_lib/locale.ts";
import Link from "next/link";
import { pageTitle } from "./_lib/page-title.ts";

export const generateMetadata = () => pageTitle((m) => m.meta.home);

export default async function Home() {
  const { m } = await t();
  return (
    <>
      <h1>{m.home.title}</h1>
      <p>{m.home.body}</p>
      <p>
        <Link className="button" href="/s/demo">
          {m.home.demoStore}
        </Link>
      </p>
      <p>
        <Link href="/staff/signin">{m.home.staff}</Link>
      </p>
    </>
  );
}
