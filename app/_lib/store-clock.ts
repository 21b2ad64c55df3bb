import { storeZone } from "../../lib/stores/store-zone.ts";

/**
 * Times of a store's events, shown on the store's own clock with the zone named ("3 Dec 2026,
 * 14:05 CET"), so the shopper on their phone and staff at their desk read the same time for the
 * same event, whatever zone their browser or the server runs in.
 */
export function storeClock(locale: string, timeZone: string) {
  const zone = storeZone(timeZone);
  const dateTime = new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: zone,
    timeZoneName: "short",
  });
  const date = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", day: "numeric", timeZone: zone });
  return {
    dateTime: (d: Date) => dateTime.format(d),
    date: (d: Date) => date.format(d),
    // A stay: "3 Dec 2026, 14:05–14:12 CET", the day written once when both ends share it.
    range: (from: Date, to: Date) => dateTime.formatRange(from, to),
    zone,
  };
}
