import { db } from "../db.ts";

export type DeviceState = "PENDING" | "EXPIRED" | "PAIRED" | "REVOKED";

/** Every entrance display and kiosk with its store and state, newest first (staff console). */
export async function listDevices(now = new Date()) {
  const rows = await db().storeDevice.findMany({
    orderBy: { createdAt: "desc" },
    include: { store: { select: { name: true, slug: true, timezone: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    storeName: r.store.name,
    storeSlug: r.store.slug,
    storeTimezone: r.store.timezone,
    createdAt: r.createdAt,
    lastSeenAt: r.lastSeenAt,
    state: (r.revokedAt
      ? "REVOKED"
      : r.credentialHash
        ? "PAIRED"
        : r.pairingExpiresAt && r.pairingExpiresAt > now
          ? "PENDING"
          : "EXPIRED") as DeviceState,
  }));
}
