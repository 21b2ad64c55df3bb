// A store saved with a time zone this runtime does not know is read in UTC (and shown as such)
// rather than failing the page or the query: the one rule for every place that reads a store's clock.
export function storeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

/**
 * The last second (23:59:59) of a calendar day (YYYY-MM-DD) on the store's clock, as an instant: a
 * deadline a person picks as a day ends when that day ends in the store, not in UTC.
 */
export function endOfStoreDay(day: string, timeZone: string): Date {
  const zone = storeZone(timeZone);
  const wall = Date.parse(`${day}T23:59:59Z`);
  // The zone's offset at an instant: its wall clock read as if it were UTC, minus the instant.
  const offset = (t: number) => {
    const p = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", {
        timeZone: zone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      })
        .formatToParts(t)
        .map((x) => [x.type, x.value]),
    );
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - t;
  };
  // Twice: the offset at the first guess may differ from the one at the answer across a DST change.
  const first = wall - offset(wall);
  return new Date(wall - offset(first));
}
