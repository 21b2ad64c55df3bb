import { z } from "zod";
import { channels, redis } from "../redis.ts";

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
    await redis("producer").publish(channels.consentChanged(), JSON.stringify(consentChangedMessage.parse(msg)));
    return true;
  } catch {
    return false;
  }
}
