import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { DEVICE_KINDS, hashDeviceSecret, isDeviceSecret, newDeviceSecret, type DeviceKind } from "./device-secret.ts";

/**
 * A store device (display or kiosk) exchanges its one-time pairing code for a long-lived credential (returned
 * once, for its httpOnly cookie; stored only hashed). A used, expired or revoked code, or one of
 * another store or of another kind of device, pairs nothing (`pairing_invalid`). Audited in the same transaction.
 */
export async function pairDevice(opts: { kind: DeviceKind; storeSlug: string; code: string; now?: Date }) {
  const now = opts.now ?? new Date();
  if (!isDeviceSecret(opts.code)) throw new AppError("pairing_invalid", "pairing code garbled");
  const credential = newDeviceSecret();
  const device = await db().$transaction(async (tx) => {
    const row = await tx.storeDevice.findUnique({
      where: { pairingCodeHash: hashDeviceSecret(opts.code) },
      include: { store: { select: { slug: true } } },
    });
    if (
      !row ||
      row.revokedAt ||
      row.credentialHash ||
      row.kind !== opts.kind ||
      row.store.slug !== opts.storeSlug ||
      !row.pairingExpiresAt ||
      row.pairingExpiresAt <= now
    ) {
      throw new AppError("pairing_invalid", "pairing code unknown, used, expired or revoked");
    }
    // One use: the conditional update takes the code only if nobody took it first.
    const taken = await tx.storeDevice.updateMany({
      where: { id: row.id, pairingCodeHash: row.pairingCodeHash, credentialHash: null, revokedAt: null },
      data: {
        pairingCodeHash: null,
        pairingExpiresAt: null,
        credentialHash: hashDeviceSecret(credential),
        pairedAt: now,
        lastSeenAt: now,
      },
    });
    if (taken.count !== 1) throw new AppError("pairing_invalid", "pairing code already used");
    await appendAudit(tx, {
      actorId: null,
      actorRole: "DEVICE",
      action: `${DEVICE_KINDS[opts.kind].audit}.pair`,
      targetType: "StoreDevice",
      targetId: row.id,
      storeId: row.storeId,
      details: {},
    });
    return row;
  });
  return { deviceId: device.id, storeId: device.storeId, credential };
}
