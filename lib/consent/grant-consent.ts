import { recordConsentEvent, type ConsentCommand } from "./record-consent-event.ts";

/** A shopper grants one purpose at one store, bound to the notice version they were shown. */
export function grantConsent(cmd: ConsentCommand) {
  return recordConsentEvent("GRANT", cmd);
}
