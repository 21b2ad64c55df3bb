import { db } from "../db.ts";

export type StoreSummary = { slug: string; name: string };

/** Every store by name, for pickers (requests, camera registration). */
export function listStores(): Promise<StoreSummary[]> {
  return db().store.findMany({ select: { slug: true, name: true }, orderBy: { name: "asc" } });
}

/** Every store with its settings, for the admins' store page. */
export function listStoresWithSettings() {
  return db().store.findMany({ orderBy: { name: "asc" } });
}
