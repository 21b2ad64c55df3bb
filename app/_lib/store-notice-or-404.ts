import { notFound } from "next/navigation";
import { loadStoreNotice } from "@/lib/notices/load-store-notice.ts";
import { isAppError } from "@/lib/errors/app-error.ts";

/** A store page's store and notice; an unknown store (or one with no notice) is the 404 page. */
export function storeNoticeOr404(slug: string) {
  return loadStoreNotice(slug).catch((e) => {
    if (isAppError(e, "unknown_store")) notFound();
    throw e;
  });
}
