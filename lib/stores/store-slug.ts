import { z } from "zod";

// A store's slug as it appears in URLs (/s/<slug>) and forms: the one definition every parser uses.
export const STORE_SLUG = /^[a-z0-9-]{1,64}$/;
export const storeSlug = z.string().regex(STORE_SLUG);

export function isStoreSlug(v: unknown): v is string {
  return typeof v === "string" && STORE_SLUG.test(v);
}
