import { db, type Tx } from "../db.ts";
import { AppError } from "../errors/app-error.ts";

export type StoreNotice = Awaited<ReturnType<typeof loadStoreNotice>>;

/** A store with its latest notice (the one shown) and the version that grants must match or exceed. */
export async function loadStoreNotice(slug: string, client: Tx | ReturnType<typeof db> = db()) {
  const store = await client.store.findUnique({
    where: { slug },
    include: { notices: { orderBy: { version: "desc" }, include: { texts: true } } },
  });
  if (!store) throw new AppError("unknown_store", `store ${slug} not found`);
  const [current] = store.notices;
  if (!current) throw new AppError("unknown_store", `store ${slug} has no published notice`);
  const materialVersion = store.notices.find((n) => n.material)?.version ?? 0;
  const { notices: _all, ...rest } = store;
  return { store: rest, notice: current, materialVersion };
}

/** Highest material notice version of a store (0 when none), inside a transaction. */
export async function materialVersionOf(tx: Tx, storeId: string): Promise<number> {
  const row = await tx.notice.findFirst({
    where: { storeId, material: true },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  return row?.version ?? 0;
}
