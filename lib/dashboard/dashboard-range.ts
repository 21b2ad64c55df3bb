import { z } from "zod";
import { AppError } from "../errors/app-error.ts";
import { storeZone } from "../stores/store-zone.ts";

// The dashboard's period: whole days on the store's own clock, from and to inclusive. Longer than a
// quarter would make the per-day trends unreadable and the query needlessly heavy.
export const MAX_RANGE_DAYS = 92;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s));

export type DateRange = { from: string; to: string };

/** The calendar date (YYYY-MM-DD) that it is at `now` in the zone; UTC for a zone the runtime does not know. */
export function localDate(now: Date, timeZone: string): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: storeZone(timeZone),
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

/** Every date from `from` to `to`, inclusive. */
export function datesOf(range: DateRange): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${range.from}T00:00:00Z`); t <= Date.parse(`${range.to}T00:00:00Z`); t += 86_400_000)
    out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/**
 * The range a dashboard request asks for: absent dates default to today on the store's clock (a
 * missing `to` is `from`); a malformed date, `to` before `from`, or more than MAX_RANGE_DAYS is
 * invalid_input.
 */
export function dashboardRange(input: { from?: string; to?: string }, today: string): DateRange {
  const from = input.from || (input.to ? input.to : today);
  const to = input.to || from;
  if (!isoDate.safeParse(from).success || !isoDate.safeParse(to).success)
    throw new AppError("invalid_input", "dashboard dates must be YYYY-MM-DD");
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days < 1) throw new AppError("invalid_input", "dashboard range ends before it starts");
  if (days > MAX_RANGE_DAYS) throw new AppError("invalid_input", "dashboard range too long");
  return { from, to };
}
