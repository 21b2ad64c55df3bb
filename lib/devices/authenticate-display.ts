import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { hashDeviceSecret, isDeviceSecret } from "./device-secret.ts";

/**
 * The paired, unrevoked entrance display of this store that holds this credential; anything else
 * (no cookie, an unknown or revoked credential, another store's display) is `display_not_paired`.
 */
export async function authenticateDisplay(opts: { storeId: string; credential: string | undefined; now?: Date }) {
  if (!isDeviceSecret(opts.credential)) throw new AppError("display_not_paired", "no display credential");
  const device = await db().storeDevice.findUnique({ where: { credentialHash: hashDeviceSecret(opts.credential) } });
  if (!device || device.revokedAt || device.kind !== "DISPLAY" || device.storeId !== opts.storeId) {
    throw new AppError("display_not_paired", "display credential unknown, revoked or of another store");
  }
  await db().storeDevice.update({ where: { id: device.id }, data: { lastSeenAt: opts.now ?? new Date() } });
  return device;
}
