import { db } from "../db.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";
import { loadStoreNotice } from "../notices/load-store-notice.ts";
import { effectiveStatus, type EffectiveStatus } from "./projection.ts";
import { CONSENTABLE, type PurposeCode } from "./purposes.ts";

export type ConsentOverview = {
  storeId: string;
  noticeVersion: number;
  materialVersion: number;
  purposes: { purpose: PurposeCode; status: EffectiveStatus; noticeVersion: number | null }[];
  history: {
    id: string;
    purpose: string;
    action: "GRANT" | "REVOKE";
    noticeVersion: number;
    channel: string;
    occurredAt: Date;
  }[];
};

/** What the shopper sees on the consent page: current status per purpose and their history here. */
export async function getConsentOverview(userId: string, storeSlug: string): Promise<ConsentOverview> {
  const { store, notice, materialVersion } = await loadStoreNotice(storeSlug);
  const subject = (await existingPseudonym(userId)) ?? "";
  const [states, events] = await Promise.all([
    db().consentState.findMany({ where: { userId, storeId: store.id } }),
    db().consentEvent.findMany({ where: { subject, storeId: store.id }, orderBy: { id: "desc" } }),
  ]);
  return {
    storeId: store.id,
    noticeVersion: notice.version,
    materialVersion,
    purposes: CONSENTABLE.map((purpose) => {
      const s = states.find((x) => x.purposeCode === purpose);
      return { purpose, status: effectiveStatus(s, materialVersion), noticeVersion: s?.noticeVersion ?? null };
    }),
    history: events.map((e) => ({
      id: e.id.toString(),
      purpose: e.purposeCode,
      action: e.action,
      noticeVersion: e.noticeVersion,
      channel: e.channel,
      occurredAt: e.occurredAt,
    })),
  };
}
