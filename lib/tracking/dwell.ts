// Dwell-time histogram bins shared by the counters, the dashboard and the benchmark.
export const DWELL_BINS = [
  { key: "dwellUnder1m", maxMs: 60_000 },
  { key: "dwell1to5m", maxMs: 5 * 60_000 },
  { key: "dwell5to15m", maxMs: 15 * 60_000 },
  { key: "dwell15to30m", maxMs: 30 * 60_000 },
  { key: "dwellOver30m", maxMs: Infinity },
] as const;
export type DwellBin = (typeof DWELL_BINS)[number]["key"];

export function dwellBin(ms: number): DwellBin {
  return DWELL_BINS.find((b) => ms < b.maxMs)!.key;
}
