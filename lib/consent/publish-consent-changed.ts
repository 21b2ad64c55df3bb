import { z } from "zod";
import { channels } from "../redis.ts";
import { publishEvent } from "../events/publish.ts";

// Message on the consent:changed channel. Ids and codes only (invariant 8).
export const consentChangedMessage = z.object({
  userId: z.string(),
  storeId: z.string(),
  purpose: z.string(),
  action: z.enum(["GRANT", "REVOKE"]),
});
export type ConsentChangedMessage = z.infer<typeof consentChangedMessage>;

/** Tells every worker to reload the store's gallery (invariant 5; invariant 3 is the backstop). */
export function publishConsentChanged(msg: ConsentChangedMessage): Promise<boolean> {
  return publishEvent(channels.consentChanged(), consentChangedMessage, msg, "consent.publish");
}
