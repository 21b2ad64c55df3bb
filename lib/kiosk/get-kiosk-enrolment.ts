import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";

export type KioskEnrolmentView = {
  status: "ISSUED" | "PROCESSING" | "ENROLLED" | "REFUSED" | "EXPIRED";
  reason: string | null;
  expiresAt: string;
};

/**
 * What the shopper's phone polls after asking for a code: waiting, processing, enrolled, or
 * refused with the reason. Only the shopper the code was issued to sees it (anyone else: not_found).
 */
export async function getKioskEnrolment(opts: {
  userId: string;
  enrolmentId: string;
  now?: Date;
}): Promise<KioskEnrolmentView> {
  const row = await db().kioskEnrolment.findUnique({ where: { id: opts.enrolmentId } });
  if (!row || row.userId !== opts.userId) throw new AppError("not_found", "no such kiosk enrolment");
  const now = opts.now ?? new Date();
  const expired = (row.status === "ISSUED" && row.expiresAt <= now) || row.reason === "code_expired";
  return {
    status: expired ? "EXPIRED" : row.status,
    reason: expired ? null : row.reason,
    expiresAt: row.expiresAt.toISOString(),
  };
}
