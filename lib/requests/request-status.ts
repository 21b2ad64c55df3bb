import type { RequestStatus } from "../generated/prisma/enums.ts";

// The lifecycle of a data-rights request, written once. Every query and check that asks "is this
// request still open / cancellable / approvable" uses these sets.
//
//   SUBMITTED | AWAITING_VERIFICATION | COOLING_OFF --approve--> APPROVED -> IN_PROGRESS -> COMPLETED
//                                                    \--reject--> REJECTED, \--shopper--> CANCELLED
//   IN_PROGRESS --job gave up--> FAILED --approve (retry)--> APPROVED
//
// FAILED is open: the legal deadline still runs, the inbox shows it, the overdue job flags it, and
// the shopper cannot file a duplicate while staff retry it.

/** Not finished: the deadline runs and the inbox lists it. */
export const OPEN_STATUSES = [
  "SUBMITTED",
  "AWAITING_VERIFICATION",
  "COOLING_OFF",
  "APPROVED",
  "IN_PROGRESS",
  "FAILED",
] as const satisfies readonly RequestStatus[];
/** Not yet acted on: the shopper may still cancel it. */
export const CANCELLABLE_STATUSES = [
  "SUBMITTED",
  "AWAITING_VERIFICATION",
  "COOLING_OFF",
] as const satisfies readonly RequestStatus[];
/** Waiting for a staff decision (or, when FAILED, for a retry). */
export const APPROVABLE_STATUSES = [...CANCELLABLE_STATUSES, "FAILED"] as const satisfies readonly RequestStatus[];

/** Finished one way or another: nothing more happens to it. */
export const FINISHED_STATUSES = ["COMPLETED", "REJECTED", "CANCELLED"] as const satisfies readonly RequestStatus[];

const has = (set: readonly string[]) => (status: string) => set.includes(status);
export const isOpen = has(OPEN_STATUSES);
export const isCancellable = has(CANCELLABLE_STATUSES);
export const isApprovable = has(APPROVABLE_STATUSES);
export const isFinished = has(FINISHED_STATUSES);
