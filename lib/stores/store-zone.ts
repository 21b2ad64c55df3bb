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
