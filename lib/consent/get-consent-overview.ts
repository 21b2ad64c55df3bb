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
  /** Every ledger event of this shopper at this store; `history` is the page of them asked for. */
  historyCount: number;
  history: {
    id: string;
    purpose: string;
    action: "GRANT" | "REVOKE";
    noticeVersion: number;
    channel: string;
    occurredAt: Date;
  }[];
};

/** Ledger events per page of the consent page's history: a shopper who toggled for years still gets a small page. */
export const HISTORY_PER_PAGE = 20;

/**
 * What the shopper sees on the consent page: current status per purpose and their history here,
 * newest first, one page of it (`historyPage`, from 1; HISTORY_PER_PAGE events) with the total.
 */
export async function getConsentOverview(
  userId: string,
  storeSlug: string,
  { historyPage = 1 }: { historyPage?: number } = {},
): Promise<ConsentOverview> {
  const { store, notice, materialVersion } = await loadStoreNotice(storeSlug);
  const subject = (await existingPseudonym(userId)) ?? "";
  const mine = { subject, storeId: store.id };
  const [states, events, historyCount] = await Promise.all([
    db().consentState.findMany({ where: { userId, storeId: store.id } }),
    db().consentEvent.findMany({
      where: mine,
      orderBy: { id: "desc" },
      skip: (Math.max(1, historyPage) - 1) * HISTORY_PER_PAGE,
      take: HISTORY_PER_PAGE,
    }),
    db().consentEvent.count({ where: mine }),
  ]);
  return {
    storeId: store.id,
    noticeVersion: notice.version,
    materialVersion,
    purposes: CONSENTABLE.map((purpose) => {
      const s = states.find((x) => x.purposeCode === purpose);
      return { purpose, status: effectiveStatus(s, materialVersion), noticeVersion: s?.noticeVersion ?? null };
    }),
    historyCount,
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
