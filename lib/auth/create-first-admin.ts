import { createHash, randomBytes } from "node:crypto";
import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { appOrigin } from "../http/app-origin.ts";

// The first administrator of a deployment: created without a password, with a one-time link (valid
// for SETUP_LINK_SECONDS) on which they choose one. Refused once any administrator exists, so it
// cannot be used to take over a running deployment.
export const SETUP_LINK_SECONDS = 60 * 60;
export const setupIdentifier = (email: string) => `staff-setup:${email.toLowerCase()}`;
export const hashSetupToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createFirstAdmin(email: string): Promise<{ link: string; expires: Date }> {
  const address = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(address) || address.length > 320)
    throw new AppError("invalid_input", "not an e-mail address");
  const token = randomBytes(32).toString("base64url");
  const expires = new Date(Date.now() + SETUP_LINK_SECONDS * 1000);
  await db().$transaction(async (tx) => {
    // Serialised with any other first-admin run: two at once must not both pass the check below.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${0x76656161})`;
    if ((await tx.user.count({ where: { role: "ADMIN" } })) > 0)
      throw new AppError("conflict", "an administrator already exists");
    if (await tx.user.findUnique({ where: { email: address } }))
      throw new AppError("conflict", "that address already has an account");
    const user = await tx.user.create({ data: { email: address, role: "ADMIN" } });
    await tx.verificationToken.deleteMany({ where: { identifier: setupIdentifier(address) } });
    await tx.verificationToken.create({
      data: { identifier: setupIdentifier(address), token: hashSetupToken(token), expires },
    });
    await appendAudit(tx, {
      actorId: null,
      actorRole: "SYSTEM",
      action: "staff.first_admin",
      targetType: "user",
      targetId: user.id,
    });
  });
  const link = new URL("/staff/setup", appOrigin());
  link.searchParams.set("email", address);
  link.searchParams.set("token", token);
  return { link: link.href, expires };
}
