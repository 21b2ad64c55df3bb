// Projection rules: how ledger events become the current state, and when a grant is in force.
// Pure functions, shared by the writer (record-consent-event) and every reader.

export type ProjectedState = { status: "GRANTED" | "REVOKED"; noticeVersion: number };
export type LedgerAction = { action: "GRANT" | "REVOKE"; noticeVersion: number };

/** Effective status a shopper sees: "lapsed" = granted against a notice a material change replaced. */
export type EffectiveStatus = "granted" | "revoked" | "lapsed" | "never";

export function applyEvent(_state: ProjectedState | undefined, event: LedgerAction): ProjectedState {
  // The latest event wins; a grant binds to the notice version the shopper was shown.
  return { status: event.action === "GRANT" ? "GRANTED" : "REVOKED", noticeVersion: event.noticeVersion };
}

export function project(events: LedgerAction[]): ProjectedState | undefined {
  return events.reduce<ProjectedState | undefined>((s, e) => applyEvent(s, e), undefined);
}

/**
 * A grant counts only if it was given against the latest material notice version or a later one.
 * `materialVersion` is the highest notice version flagged material for the store (0 if none).
 */
export function isInForce(state: ProjectedState | undefined | null, materialVersion: number): boolean {
  return !!state && state.status === "GRANTED" && state.noticeVersion >= materialVersion;
}

export function effectiveStatus(state: ProjectedState | undefined | null, materialVersion: number): EffectiveStatus {
  if (!state) return "never";
  if (state.status === "REVOKED") return "revoked";
  return isInForce(state, materialVersion) ? "granted" : "lapsed";
}
