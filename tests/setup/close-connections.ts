import { afterAll } from "vitest";
import { closeQueues, queue } from "../../lib/jobs/queues.ts";
import { closeRedis } from "../../lib/redis.ts";
import { disconnectDb } from "../../lib/db.ts";

// Every integration file ends by closing the queues, Redis connections and Prisma client it
// opened, so that the next file starts clean and vitest can exit. Registered first, so it runs
// after the file's own afterAll (vitest runs after-hooks as a stack): workers stop, then this.
// Frames a file queued and never analysed (it ran no worker) are removed first: ingest's
// back-pressure reads the queue, and another file's leftovers would refuse this file's frames.
// Bounded: a file that stopped its own Redis (the cluster test) must still end.
afterAll(async () => {
  await Promise.race([
    queue("frames")
      .drain(true)
      .catch(() => {}),
    new Promise((r) => setTimeout(r, 5_000).unref()),
  ]);
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});
