import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import type { Actor } from "../auth/actor.ts";
import { DEVICE_KINDS, PAIRING_MINUTES, hashDeviceSecret, newDeviceSecret, type DeviceKind } from "./device-secret.ts";

/**
 * Creates a store device (entrance display or enrolment kiosk) waiting to be paired: returns the
 * one-time pairing code (shown once to the admin, stored only hashed, valid PAIRING_MINUTES).
 * Admin only; audited in the same transaction.
 */
export async function createDevicePairing(opts: {
  kind: DeviceKind;
  storeSlug: string;
  name: string;
  actor: Actor;
  now?: Date;
}) {
  if (opts.actor.role !== "ADMIN" && opts.actor.role !== "SYSTEM")
    throw new AppError("forbidden", "only admins pair store devices");
  const name = opts.name.trim();
  if (!name || name.length > 80) throw new AppError("invalid_input", "device name must be 1-80 characters");
  const now = opts.now ?? new Date();
  const code = newDeviceSecret();
  const expiresAt = new Date(now.getTime() + PAIRING_MINUTES * 60_000);
  const device = await db().$transaction(async (tx) => {
    const store = await tx.store.findUnique({ where: { slug: opts.storeSlug }, select: { id: true } });
    if (!store) throw new AppError("unknown_store", `store ${opts.storeSlug} not found`);
    const row = await tx.storeDevice.create({
      data: {
        storeId: store.id,
        kind: opts.kind,
        name,
        pairingCodeHash: hashDeviceSecret(code),
        pairingExpiresAt: expiresAt,
        createdAt: now,
      },
    });
    await appendAudit(tx, {
      actorId: opts.actor.id,
      actorRole: opts.actor.role,
      action: `${DEVICE_KINDS[opts.kind].audit}.create`,
      targetType: "StoreDevice",
      targetId: row.id,
      storeId: store.id,
      details: { expiresAt: expiresAt.toISOString() },
    });
    return row;
  });
  return {
    deviceId: device.id,
    storeSlug: opts.storeSlug,
    code,
    expiresAt,
    pairingPath: `${DEVICE_KINDS[opts.kind].page(opts.storeSlug)}/pair?code=${code}`,
  };
}
