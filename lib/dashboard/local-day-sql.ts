import { Prisma } from "../generated/prisma/client.ts";
import type { DateRange } from "./dashboard-range.ts";

// The dashboard reads whole days of the store's own clock. Timestamps are stored as UTC without a
// zone (Prisma's `timestamp(3)`), so each conversion goes UTC -> instant -> the store's zone. Written
// once here so every query cuts the day at the same local midnight.

/** `column` between local midnight of `range.from` and local midnight after `range.to`. */
export function inLocalDays(column: Prisma.Sql, tz: string, range: DateRange): Prisma.Sql {
  return Prisma.sql`${column} >= ((${range.from}::date)::timestamp AT TIME ZONE ${tz}) AT TIME ZONE 'UTC'
    AND ${column} < ((${range.to}::date + 1)::timestamp AT TIME ZONE ${tz}) AT TIME ZONE 'UTC'`;
}

/** `column` as the store's local timestamp (for date_trunc / to_char). */
export function localTime(column: Prisma.Sql, tz: string): Prisma.Sql {
  return Prisma.sql`((${column} AT TIME ZONE 'UTC') AT TIME ZONE ${tz})`;
}

/** `column` as the store's local date, 'YYYY-MM-DD'. */
export function localDay(column: Prisma.Sql, tz: string): Prisma.Sql {
  return Prisma.sql`to_char(${localTime(column, tz)}, 'YYYY-MM-DD')`;
}
