import { key, ready, redis } from "../redis.ts";

// Raw frames live only here: in Redis, under a short TTL, and are deleted when their job ends
// (invariant 1). Nothing in this module writes to disk or Postgres.
export const frameKey = (frameId: string) => key("frame", frameId);

export async function putFrame(frameId: string, jpeg: Uint8Array, ttlSeconds: number): Promise<void> {
  const r = await ready(redis("producer"));
  await r.set(frameKey(frameId), Buffer.from(jpeg), "EX", ttlSeconds);
}

export async function deleteFrame(frameId: string, client = redis("producer")): Promise<void> {
  await client.del(frameKey(frameId));
}
