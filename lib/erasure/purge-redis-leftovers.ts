import { ready, redis } from "../redis.ts";
import { QUEUES, type QueueName } from "../jobs/contract.ts";
import { queue } from "../jobs/queues.ts";
import { findRedisLeftovers, needleList, redisValues, type Needles } from "./scan-leftovers.ts";

const QUEUE_NAMES = new Set<string>(Object.values(QUEUES));

/**
 * Erasure's sweep of Redis: whatever under the prefix still names the subject goes. A BullMQ job
 * (any state, with its data and return value) is removed through BullMQ so its queue's indexes
 * stay consistent; a key named after the subject (rate-limit counters) is deleted; inside a shared
 * hash, list, set, sorted set or stream only the matching fields, members or entries are removed.
 * Returns how many jobs, keys and elements were removed.
 */
export async function purgeRedisLeftovers(n: Needles): Promise<number> {
  const needles = needleList(n);
  const holds = (b: Buffer | string) => {
    const t = (typeof b === "string" ? b : b.toString("latin1")).toLowerCase();
    return needles.some((x) => t.includes(x.value));
  };
  const r = await ready(redis("producer"));
  const { found } = await findRedisLeftovers(needles);
  let removed = 0;
  for (const f of found) {
    if (f.job && QUEUE_NAMES.has(f.job.queue)) {
      // Throws for a job a worker holds: erasure fails visibly and is retried after it ends.
      await queue(f.job.queue as QueueName).remove(f.job.id);
      removed++;
      continue;
    }
    if (f.inName || f.type === "string") {
      removed += await r.del(f.key);
      continue;
    }
    if (f.type === "hash") {
      const h = await r.hgetallBuffer(f.key);
      const fields = Object.entries(h)
        .filter(([k, v]) => holds(k) || holds(v))
        .map(([k]) => k);
      if (fields.length) removed += await r.hdel(f.key, ...fields);
    } else if (f.type === "list") {
      for (const v of (await redisValues(r, f.key, "list")).filter(holds)) removed += await r.lrem(f.key, 0, v);
    } else if (f.type === "set") {
      const members = (await redisValues(r, f.key, "set")).filter(holds);
      if (members.length) removed += await r.srem(f.key, ...members);
    } else if (f.type === "zset") {
      const members = (await redisValues(r, f.key, "zset")).filter(holds);
      if (members.length) removed += await r.zrem(f.key, ...members);
    } else if (f.type === "stream") {
      const entries = (await r.xrangeBuffer(f.key, "-", "+")) as unknown as [Buffer, Buffer[]][];
      const ids = entries.filter(([, fields]) => fields.some(holds)).map(([id]) => id.toString());
      if (ids.length) removed += await r.xdel(f.key, ...ids);
    }
  }
  return removed;
}
