import { Cluster, Redis, type ClusterOptions, type RedisOptions } from "ioredis";
import { env } from "./env.ts";

// Separate connections by role (DESIGN.md conventions): producers fail fast so an HTTP request
// never hangs on a Redis outage; BullMQ workers and subscribers retry forever.
type Role = "producer" | "worker" | "subscriber";

/**
 * One Redis server (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_NODES`, ADR 0008). Both speak
 * the same commands; what differs is that a cluster routes each key to the master of its slot, so
 * SCAN and KEYS must visit every master (`masters()`).
 */
export type RedisClient = Redis | Cluster;

const globalForRedis = globalThis as unknown as { veilRedis?: Map<Role, RedisClient> };

function options(role: Role): RedisOptions {
  if (role === "producer") {
    return { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, lazyConnect: false };
  }
  return { maxRetriesPerRequest: null };
}

/** The seed nodes of REDIS_CLUSTER_NODES, or undefined for a single server. */
export function clusterNodes(): { host: string; port: number }[] | undefined {
  const list = env().REDIS_CLUSTER_NODES;
  if (!list) return undefined;
  return list.split(",").map((hp) => {
    const i = hp.lastIndexOf(":");
    return { host: hp.slice(0, i), port: Number(hp.slice(i + 1)) };
  });
}

function clusterOptions(role: Role): ClusterOptions {
  if (role === "producer") {
    // No offline queue (fail fast, as above); a command that meets a failing-over master is retried
    // on the new one by ioredis (MOVED / CLUSTERDOWN / TRYAGAIN), up to maxRedirections times.
    return {
      enableOfflineQueue: false,
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 200,
      redisOptions: { maxRetriesPerRequest: 1, connectTimeout: 2000 },
    };
  }
  // BullMQ refuses a worker connection whose node options retry a bounded number of times.
  return { retryDelayOnFailover: 200, retryDelayOnClusterDown: 200, redisOptions: { maxRetriesPerRequest: null } };
}

export function createRedis(role: Role): RedisClient {
  const nodes = clusterNodes();
  const client: RedisClient = nodes
    ? new Cluster(nodes, clusterOptions(role))
    : new Redis(env().REDIS_URL, options(role));
  // Without a listener ioredis prints unhandled errors; the caller decides how to surface them.
  client.on("error", () => {});
  return client;
}

/** Shared connection per role for this process (subscribers need their own: see createRedis). */
export function redis(role: Exclude<Role, "subscriber"> = "producer"): RedisClient {
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
export async function ready<C extends RedisClient>(client: C, timeoutMs = 2000): Promise<C> {
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

/**
 * The servers that hold keys: the client itself for a single server, every master of a cluster.
 * SCAN and KEYS see only the node they run on, so a sweep runs them on each of these.
 */
export function masters(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes("master") : [client];
}

/** Every key matching `pattern` on every master, SCAN by SCAN (never KEYS, which blocks a server). */
export async function scanKeys(client: RedisClient, pattern: string, count = 500): Promise<string[]> {
  const out: string[] = [];
  for (const node of masters(client)) {
    let cursor = "0";
    do {
      const [next, keys] = await node.scan(cursor, "MATCH", pattern, "COUNT", count);
      cursor = next;
      out.push(...keys);
    } while (cursor !== "0");
  }
  return out;
}

// Slot of each hash tag, asked once (every key of a deployment shares its prefix's slot).
const slotCache = new Map<string, number>();
async function slotOf(client: Cluster, k: string): Promise<number> {
  const tag = /^\{[^{}]+\}/.exec(k)?.[0] ?? k;
  let slot = slotCache.get(tag);
  if (slot === undefined) {
    slot = (await client.cluster("KEYSLOT", k)) as number;
    if (tag !== k) slotCache.set(tag, slot);
  }
  return slot;
}

/**
 * Redis replicates asynchronously: a write a master acknowledged is lost if the master crashes
 * before a replica has it, and the replica is promoted. This waits (Redis WAIT, on the very
 * connection that sent the writes) until `replicas` replicas of the master that serves `k` hold
 * everything this client wrote to it. A single server has no replica to wait for: true at once.
 */
export async function replicated(
  client: RedisClient,
  k: string,
  replicas: number,
  timeoutMs: number,
): Promise<boolean> {
  if (!(client instanceof Cluster) || replicas <= 0) return true;
  const owner = client.slots[await slotOf(client, k)]?.[0];
  const node = client.nodes("master").find((n) => `${n.options.host}:${n.options.port}` === owner);
  if (!node) return false;
  return (await node.wait(replicas, timeoutMs)) >= replicas;
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
