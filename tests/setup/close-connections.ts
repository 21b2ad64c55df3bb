import { afterAll } from "vitest";
import { closeQueues, queue } from "../../lib/jobs/queues.ts";
import { closeRedis } from "../../lib/redis.ts";
import { disconnectDb } from "../../lib/db.ts";

// Every integration file ends by closing the queues, Redis connections and Prisma client it
// opened, so that the next file starts clean and vitest can exit. Registered first, so it runs
// after the file's own afterAll (vitest runs after-hooks as a stack): workers stop, then this.
// Frames a file queued and never analysed (it ran no worker) are removed first: ingest's
// back-pressure reads the queue, and another file's leftovers would refuse this file's frames.
afterAll(async () => {
  await queue("frames")
    .drain(true)
    .catch(() => {});
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});
