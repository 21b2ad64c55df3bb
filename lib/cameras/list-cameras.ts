import { db } from "../db.ts";

/** Cameras with their store, for the admin page and the CLI. Never includes secrets. */
export async function listCameras(storeSlug?: string) {
  const cams = await db().camera.findMany({
    where: storeSlug ? { store: { slug: storeSlug } } : undefined,
    include: { store: { select: { slug: true, name: true } } },
    orderBy: [{ storeId: "asc" }, { createdAt: "asc" }],
  });
  return cams.map((c) => ({
    id: c.id,
    name: c.name,
    store: c.store.slug,
    storeName: c.store.name,
    enabled: c.enabled,
    createdAt: c.createdAt,
    rotatedAt: c.rotatedAt,
  }));
}
