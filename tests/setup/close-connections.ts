import { afterAll } from "vitest";
import { closeQueues } from "../../lib/jobs/queues.ts";
import { closeRedis } from "../../lib/redis.ts";
import { disconnectDb } from "../../lib/db.ts";

// Every integration file ends by closing the queues, Redis connections and Prisma client it
// opened, so that the next file starts clean and vitest can exit. Registered first, so it runs
// after the file's own afterAll (vitest runs after-hooks as a stack): workers stop, then this.
afterAll(async () => {
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});
