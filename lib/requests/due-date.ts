// Legal answer deadlines per jurisdiction (README "Data rights"). A store may set its own number of
// days (requestDueDays), which replaces the default but never the legal maximum for extensions.
export type Jurisdiction = "GDPR" | "CCPA" | "PIPL" | "BIPA" | "OTHER";

function addMonths(d: Date, months: number): Date {
  const r = new Date(d);
  const day = r.getUTCDate();
  r.setUTCDate(1);
  r.setUTCMonth(r.getUTCMonth() + months);
  // 31 January + 1 month = 28/29 February, not 3 March.
  const last = new Date(Date.UTC(r.getUTCFullYear(), r.getUTCMonth() + 1, 0)).getUTCDate();
  r.setUTCDate(Math.min(day, last));
  return r;
}

function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * 86_400_000);
}

export function addWorkingDays(d: Date, days: number): Date {
  let r = new Date(d);
  let left = days;
  while (left > 0) {
    r = addDays(r, 1);
    const wd = r.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return r;
}

/** When the answer is due: GDPR one month (art. 12(3)), CCPA 45 days, elsewhere 15 working days. */
export function dueDate(jurisdiction: Jurisdiction, receivedAt: Date, storeDays?: number | null): Date {
  if (storeDays && storeDays > 0) return addDays(receivedAt, storeDays);
  switch (jurisdiction) {
    case "GDPR":
      return addMonths(receivedAt, 1);
    case "CCPA":
      return addDays(receivedAt, 45);
    default:
      return addWorkingDays(receivedAt, 15);
  }
}

/** The latest a deadline may be extended to: GDPR +2 months, CCPA +45 days, elsewhere +15 working days. */
export function maxExtendedDue(jurisdiction: Jurisdiction, originalDue: Date): Date {
  switch (jurisdiction) {
    case "GDPR":
      return addMonths(originalDue, 2);
    case "CCPA":
      return addDays(originalDue, 45);
    default:
      return addWorkingDays(originalDue, 15);
  }
}
