import { db } from "../db.ts";

/** The shopper's open, unexpired check-in at a store, if any. */
export function activeCheckIn(userId: string, storeId: string, now = new Date()) {
  return db().checkIn.findFirst({
    where: { userId, storeId, endedAt: null, startedAt: { lte: now }, expiresAt: { gt: now } },
    orderBy: { startedAt: "desc" },
  });
}
