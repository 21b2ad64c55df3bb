import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/current-user.ts";
import { listStores } from "@/lib/stores/list-stores.ts";
import { t } from "../../_lib/locale.ts";
import { requestErasureAction } from "../actions.ts";
import { pageTitle } from "../../_lib/page-title.ts";

export const dynamic = "force-dynamic";

export const generateMetadata = () => pageTitle((m) => m.meta.erase);

// The confirmation step before an erasure request: what goes, and that it cannot be undone.
export default async function ErasePage() {
  const { m } = await t();
  const user = await currentUser();
  if (!user) redirect("/signin?callbackUrl=/me/erase");
  const stores = await listStores();
  return (
    <>
      <h1>{m.me.eraseTitle}</h1>
      <p>{m.me.eraseBody}</p>
      <form action={requestErasureAction} className="stack">
        <input type="hidden" name="confirm" value="yes" />
        <label htmlFor="store-erase">{m.me.store}</label>
        <select id="store-erase" name="store">
          {stores.map((s) => (
            <option key={s.slug} value={s.slug}>
              {s.name}
            </option>
          ))}
        </select>
        <button type="submit">{m.me.eraseConfirm}</button>
      </form>
      <p>
        <a href="/me">{m.me.eraseCancel}</a>
      </p>
    </>
  );
}
