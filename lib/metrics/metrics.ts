import { key, ready, redis } from "../redis.ts";

// Counters and one latency histogram kept in Redis, so the app's /api/metrics reports what every
// worker and app process did. Label values are codes and job names only, never ids of people.
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const field = (name: string, labels: Record<string, string>) => {
  const l = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/[^A-Za-z0-9_.-]/g, "_")}"`);
  return l.length ? `${name}{${l.join(",")}}` : name;
};

/** Adds to a counter; never fails the caller (metrics are not worth an error). */
export async function countMetric(name: string, labels: Record<string, string> = {}, by = 1): Promise<void> {
  try {
    await (await ready(redis("producer"), 500)).hincrby(key("metrics"), field(name, labels), by);
  } catch {
    /* metrics are best effort */
  }
}

export async function observeMetric(name: string, seconds: number): Promise<void> {
  try {
    const r = await ready(redis("producer"), 500);
    const m = r.multi();
    for (const le of LATENCY_BUCKETS)
      if (seconds <= le) m.hincrby(key("metrics"), field(`${name}_bucket`, { le: String(le) }), 1);
    m.hincrby(key("metrics"), field(`${name}_bucket`, { le: "+Inf" }), 1);
    m.hincrbyfloat(key("metrics"), `${name}_sum`, seconds);
    m.hincrby(key("metrics"), `${name}_count`, 1);
    await m.exec();
  } catch {
    /* best effort */
  }
}

export async function readMetrics(): Promise<Record<string, string>> {
  return (await ready(redis("producer"), 1000)).hgetall(key("metrics"));
}
