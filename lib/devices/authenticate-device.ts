import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { DEVICE_KINDS, hashDeviceSecret, isDeviceSecret, type DeviceKind } from "./device-secret.ts";

/**
 * The paired, unrevoked device of this kind and store that holds this credential; anything else
 * (no cookie, an unknown or revoked credential, another store's device, a display's credential
 * shown to a kiosk page or the other way round) is `display_not_paired` / `kiosk_not_paired`.
 */
export async function authenticateDevice(opts: {
  kind: DeviceKind;
  storeId: string;
  credential: string | undefined;
  now?: Date;
}) {
  const refused = DEVICE_KINDS[opts.kind].notPaired;
  if (!isDeviceSecret(opts.credential)) throw new AppError(refused, "no device credential");
  const device = await db().storeDevice.findUnique({ where: { credentialHash: hashDeviceSecret(opts.credential) } });
  if (!device || device.revokedAt || device.kind !== opts.kind || device.storeId !== opts.storeId) {
    throw new AppError(refused, "device credential unknown, revoked, of another kind or of another store");
  }
  await db().storeDevice.update({ where: { id: device.id }, data: { lastSeenAt: opts.now ?? new Date() } });
  return device;
}
