import { recordConsentEvent, type ConsentCommand } from "./record-consent-event.ts";

/** One-tap withdrawal (GDPR art. 7(3)); also withdraws purposes that depend on this one. */
export function revokeConsent(cmd: ConsentCommand) {
  return recordConsentEvent("REVOKE", cmd);
}
