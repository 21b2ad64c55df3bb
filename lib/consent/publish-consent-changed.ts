import { z } from "zod";
import { channels, ready, redis } from "../redis.ts";
import { logError } from "../log/log-error.ts";

// Message on the consent:changed channel. Ids and codes only (invariant 8).
export const consentChangedMessage = z.object({
  userId: z.string(),
  storeId: z.string(),
  purpose: z.string(),
  action: z.enum(["GRANT", "REVOKE"]),
});
export type ConsentChangedMessage = z.infer<typeof consentChangedMessage>;

/**
 * Published after the transaction commits. If Redis is down the change still stands: workers
 * reload their galleries on a timer, and the visit insert re-checks consent (invariants 3 and 5).
 */
export async function publishConsentChanged(msg: ConsentChangedMessage): Promise<boolean> {
  try {
    const client = await ready(redis("producer"));
    await client.publish(channels.consentChanged(), JSON.stringify(consentChangedMessage.parse(msg)));
    return true;
  } catch (e) {
    logError("consent.publish", e, { userId: msg.userId, storeId: msg.storeId });
    return false;
  }
}
