import { Prisma } from "../generated/prisma/client.ts";
import type { Tx } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import type { PurposeCode } from "./purposes.ts";

// Withdrawing consent ends the processing and removes what it produced (GDPR art. 17(1)(b),
// PIPL art. 47): the age band and gender estimated under "demographics", the visits recorded under
// "recognition". Only where the law has no such duty on withdrawal (CCPA's opt-out, or no privacy
// law named) may the shopper choose to keep their visit history; the default is to delete it.
export const MAY_KEEP_VISITS: readonly string[] = ["CCPA", "OTHER"];

export type WithdrawalEffects = { visitsDeleted: number; demographicsCleared: number };

export function mayKeepVisits(jurisdiction: string): boolean {
  return MAY_KEEP_VISITS.includes(jurisdiction);
}

/** Refuses a request to keep visits where the store's law does not allow it (before any change). */
export function checkKeepVisits(jurisdiction: string, keepVisits: boolean | undefined): void {
  if (keepVisits && !mayKeepVisits(jurisdiction)) {
    throw new AppError("invalid_input", `visits cannot be kept after withdrawal under ${jurisdiction}`);
  }
}

/** In the withdrawal's own transaction: what the withdrawn purpose produced at this store goes. */
export async function applyWithdrawal(
  tx: Tx,
  opts: { userId: string; storeId: string; purpose: PurposeCode; keepVisits?: boolean },
): Promise<WithdrawalEffects> {
  const where = { userId: opts.userId, storeId: opts.storeId };
  if (opts.purpose === "recognition" && !opts.keepVisits) {
    return { visitsDeleted: (await tx.visit.deleteMany({ where })).count, demographicsCleared: 0 };
  }
  if (opts.purpose === "demographics") {
    const cleared = await tx.visit.updateMany({
      where: {
        ...where,
        OR: [{ ageBand: { not: null } }, { gender: { not: null } }, { demographicVotes: { not: Prisma.DbNull } }],
      },
      // The votes too: nothing of the estimates may remain to recompute them from.
      data: { ageBand: null, gender: null, demographicVotes: Prisma.DbNull },
    });
    return { visitsDeleted: 0, demographicsCleared: cleared.count };
  }
  return { visitsDeleted: 0, demographicsCleared: 0 };
}
