import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import type { Actor } from "../auth/actor.ts";
import { DEVICE_KINDS } from "./device-secret.ts";

/** Revokes a display or kiosk at once: its credential and any pending pairing code stop working. Admin only; audited. */
export async function revokeDevice(opts: { deviceId: string; actor: Actor; now?: Date }) {
  if (opts.actor.role !== "ADMIN" && opts.actor.role !== "SYSTEM")
    throw new AppError("forbidden", "only admins revoke store devices");
  const now = opts.now ?? new Date();
  return db().$transaction(async (tx) => {
    const row = await tx.storeDevice.findUnique({ where: { id: opts.deviceId } });
    if (!row) throw new AppError("not_found", "device not found");
    if (row.revokedAt) throw new AppError("conflict", "device already revoked");
    const updated = await tx.storeDevice.update({
      where: { id: row.id },
      data: { revokedAt: now, credentialHash: null, pairingCodeHash: null, pairingExpiresAt: null },
    });
    await appendAudit(tx, {
      actorId: opts.actor.id,
      actorRole: opts.actor.role,
      action: `${DEVICE_KINDS[row.kind].audit}.revoke`,
      targetType: "StoreDevice",
      targetId: row.id,
      storeId: row.storeId,
      details: {},
    });
    return updated;
  });
}
