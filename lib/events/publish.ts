import type { z } from "zod";
import { ready, redis } from "../redis.ts";
import { logError } from "../log/log-error.ts";

/**
 * Publishes a validated message (ids only) after the transaction that caused it has committed.
 * A Redis outage does not undo the change: workers also reload on a timer, and the database
 * re-checks consent at write time. Returns whether the message went out.
 */
export async function publishEvent<S extends z.ZodType>(
  channel: string,
  schema: S,
  msg: z.infer<S>,
  where: string,
): Promise<boolean> {
  try {
    const client = await ready(redis("producer"));
    await client.publish(channel, JSON.stringify(schema.parse(msg)));
    return true;
  } catch (e) {
    logError(where, e, { channel });
    return false;
  }
}
