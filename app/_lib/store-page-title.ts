import type { Metadata } from "next";
import type { Messages } from "@/lib/i18n/messages.ts";
import { loadStoreNotice } from "@/lib/notices/load-store-notice.ts";
import { isAppError } from "@/lib/errors/app-error.ts";
import { pageTitle } from "./page-title.ts";

/** The title of a page about one store, in the store's default language unless the reader chose; an unknown store is titled "Not found". */
export async function storePageTitle(slug: string, name: (m: Messages, store: string) => string): Promise<Metadata> {
  const store = await loadStoreNotice(slug).then(
    (x) => x.store,
    (e) => {
      if (isAppError(e, "unknown_store")) return null;
      throw e;
    },
  );
  return store ? pageTitle((m) => name(m, store.name), store.defaultLocale) : pageTitle((m) => m.meta.notFound);
}
