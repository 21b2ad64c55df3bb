import { storeNoticeOr404 } from "../../../../_lib/store-notice-or-404.ts";
import { messages } from "@/lib/i18n/messages.ts";
import { requestLocale } from "../../../../_lib/locale.ts";
import { errorText } from "../../../../_lib/error-text.ts";
import { storePageTitle } from "../../../../_lib/store-page-title.ts";
import { pairDisplayAction } from "./actions.ts";

export const dynamic = "force-dynamic";

type Search = { code?: string | string[]; error?: string | string[] };
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);

export async function generateMetadata({ params }: { params: Promise<{ store: string }> }) {
  return storePageTitle((await params).store, (m, store) => m.meta.displayPair(store));
}

// Opened on the tablet from the one-time link an admin created in /staff/displays. Pairing is a
// POST (a link preview or prefetch pairs nothing).
export default async function PairDisplayPage(props: {
  params: Promise<{ store: string }>;
  searchParams: Promise<Search>;
}) {
  const [{ store: slug }, search] = await Promise.all([props.params, props.searchParams]);
  const loaded = await storeNoticeOr404(slug);
  const m = messages(await requestLocale(loaded.store.defaultLocale));
  const error = errorText(m, one(search.error));
  return (
    <>
      <h1>{m.display.pairTitle(loaded.store.name)}</h1>
      {error ? (
        <p className="status err" role="alert" data-testid="pair-error">
          {error}
        </p>
      ) : null}
      <p>{m.display.pairBody}</p>
      <form action={pairDisplayAction}>
        <input type="hidden" name="store" value={slug} />
        <input type="hidden" name="code" value={one(search.code)?.slice(0, 64) ?? ""} />
        <button type="submit" data-testid="pair-display">
          {m.display.pairButton}
        </button>
      </form>
    </>
  );
}
