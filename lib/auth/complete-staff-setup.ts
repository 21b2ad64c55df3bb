import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { hashPassword } from "./password.ts";
import { hashSetupToken, setupIdentifier } from "./create-first-admin.ts";

export const MIN_STAFF_PASSWORD = 12;

/** Sets a staff password through a one-time setup link: the link works once, before it expires. */
export async function completeStaffSetup(opts: { email: string; token: string; password: string }): Promise<void> {
  if (opts.password.length < MIN_STAFF_PASSWORD || opts.password.length > 200)
    throw new AppError("invalid_input", "password too short or too long");
  const identifier = setupIdentifier(opts.email);
  const passwordHash = await hashPassword(opts.password);
  await db().$transaction(async (tx) => {
    // Deleting the row is the check: a second use (or a guessed token) deletes nothing.
    const used = await tx.verificationToken.deleteMany({
      where: { identifier, token: hashSetupToken(opts.token), expires: { gt: new Date() } },
    });
    if (used.count !== 1) throw new AppError("not_found", "setup link unknown, used or expired");
    const user = await tx.user.update({
      where: { email: opts.email.toLowerCase() },
      data: { passwordHash, emailVerified: new Date(), sessionVersion: { increment: 1 } },
    });
    await appendAudit(tx, {
      actorId: user.id,
      actorRole: user.role,
      action: "staff.setup_password",
      targetType: "user",
      targetId: user.id,
    });
  });
}
