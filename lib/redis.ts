import { Redis, type RedisOptions } from "ioredis";
import { env } from "./env.ts";

// Separate connections by role (DESIGN.md conventions): producers fail fast so an HTTP request
// never hangs on a Redis outage; BullMQ workers and subscribers retry forever.
type Role = "producer" | "worker" | "subscriber";

const globalForRedis = globalThis as unknown as { veilRedis?: Map<Role, Redis> };

function options(role: Role): RedisOptions {
  if (role === "producer") {
    return { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, lazyConnect: false };
  }
  return { maxRetriesPerRequest: null };
}

export function createRedis(role: Role): Redis {
  const client = new Redis(env().REDIS_URL, options(role));
  // Without a listener ioredis prints unhandled errors; the caller decides how to surface them.
  client.on("error", () => {});
  return client;
}

/** Shared connection per role for this process (subscribers need their own: see createRedis). */
export function redis(role: Exclude<Role, "subscriber"> = "producer"): Redis {
  globalForRedis.veilRedis ??= new Map();
  let client = globalForRedis.veilRedis.get(role);
  if (!client) {
    client = createRedis(role);
    globalForRedis.veilRedis.set(role, client);
  }
  return client;
}

/**
 * Producers do not queue commands while disconnected (so requests fail fast); wait briefly for
 * the first connection instead of failing the first command after start-up.
 */
export async function ready(client: Redis, timeoutMs = 2000): Promise<Redis> {
  if (client.status === "ready") return client;
  if (client.status === "end" || client.status === "close") client.connect().catch(() => {});
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`redis not ready after ${timeoutMs} ms`)), timeoutMs);
    const onReady = () => done();
    function done(err?: Error) {
      clearTimeout(timer);
      client.off("ready", onReady);
      if (err) reject(err);
      else resolve();
    }
    client.on("ready", onReady);
  });
  return client;
}

export async function closeRedis(): Promise<void> {
  const clients = globalForRedis.veilRedis;
  globalForRedis.veilRedis = undefined;
  await Promise.all([...(clients?.values() ?? [])].map((c) => c.quit().catch(() => c.disconnect())));
}

/** Prefixed key or channel name: every deployment and test run has its own namespace. */
export function key(...parts: string[]): string {
  return [env().REDIS_PREFIX, ...parts].join(":");
}

export const channels = {
  consentChanged: () => key("consent:changed"),
  galleryChanged: () => key("gallery:changed"),
};
