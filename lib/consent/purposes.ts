// The purposes a store can process faces for (DESIGN.md "Purposes"). The Purpose table holds the
// same codes so foreign data (ledger rows, exports) stays self-describing.
export const PURPOSES = ["footfall", "recognition", "demographics"] as const;
export type PurposeCode = (typeof PURPOSES)[number];

/** Purposes a shopper can grant or revoke; footfall is anonymous and shown as information. */
export const CONSENTABLE: readonly PurposeCode[] = ["recognition", "demographics"];

/** demographics is only ever computed for a recognised shopper. */
export const DEPENDS_ON: Partial<Record<PurposeCode, PurposeCode>> = { demographics: "recognition" };

export function isPurposeCode(v: string): v is PurposeCode {
  return (PURPOSES as readonly string[]).includes(v);
}
