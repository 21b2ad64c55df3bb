import type { Tx } from "../db.ts";
import { AppError } from "../errors/app-error.ts";

export type StaffActor = { id: string; role: string };

/** Loads a request for a staff action, locked for the transaction; only support and admin roles. */
export async function lockRequestForStaff(tx: Tx, requestId: string, actor: StaffActor) {
  if (actor.role !== "SUPPORT" && actor.role !== "ADMIN") throw new AppError("forbidden", "staff only");
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "DataRequest" WHERE id = ${requestId} FOR UPDATE`;
  if (!rows.length) throw new AppError("not_found", "request not found");
  return tx.dataRequest.findUniqueOrThrow({ where: { id: requestId }, include: { store: true } });
}

export function requireReason(reason: string | undefined | null): string {
  const r = (reason ?? "").trim();
  if (r.length < 5) throw new AppError("invalid_input", "a reason of at least 5 characters is required");
  if (r.length > 2000) throw new AppError("invalid_input", "reason too long");
  return r;
}
