import QRCode from "qrcode";
import { db } from "../db.ts";
import { newTotpSecret, openTotpSecret, sealTotpSecret, totpUri } from "./totp.ts";

export type TotpEnrolment = { secret: string; uri: string; qrSvg: string };

/**
 * The authenticator to set up for an administrator who has none enabled: the secret waiting for
 * its first code (or a new one), its otpauth:// URI, and that URI as an SVG QR code rendered here
 * on the server (no third-party image service ever sees the secret). Nothing is enabled until
 * confirmTotpEnrolment accepts a code from it.
 */
export async function startTotpEnrolment(user: { id: string; email: string | null }): Promise<TotpEnrolment | null> {
  const existing = await db().staffTotp.findUnique({ where: { userId: user.id } });
  if (existing?.enabledAt) return null;
  let secret: string;
  if (existing) {
    secret = openTotpSecret(user.id, existing);
  } else {
    secret = newTotpSecret();
    // Two tabs racing: the first row wins, the second reads it.
    await db().staffTotp.createMany({
      data: [{ userId: user.id, ...sealTotpSecret(user.id, secret) }],
      skipDuplicates: true,
    });
    const row = await db().staffTotp.findUniqueOrThrow({ where: { userId: user.id } });
    if (row.enabledAt) return null;
    secret = openTotpSecret(user.id, row);
  }
  const uri = totpUri(user.email ?? user.id, secret);
  const qrSvg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { secret, uri, qrSvg };
}
