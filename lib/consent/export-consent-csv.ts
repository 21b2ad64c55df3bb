import { db } from "../db.ts";

const csv = (v: unknown) => {
  const s = v instanceof Date ? v.toISOString() : String(v ?? "");
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Consent ledger rows of a store and period as CSV, for auditors: pseudonymous ids, no e-mail. */
export async function exportConsentCsv(opts: { storeSlug?: string; from?: Date; to?: Date }): Promise<string> {
  const events = await db().consentEvent.findMany({
    where: {
      storeId: opts.storeSlug ? (await db().store.findUnique({ where: { slug: opts.storeSlug }, select: { id: true } }))?.id ?? "-" : undefined,
      occurredAt: { gte: opts.from, lt: opts.to },
    },
    orderBy: { id: "asc" },
    take: 100_000,
  });
  const header = ["event_id", "subject_id", "store_id", "purpose", "action", "notice_version", "channel", "occurred_at", "hash", "previous_hash"];
  const lines = events.map((e) => [e.id.toString(), e.subject, e.storeId, e.purposeCode, e.action, e.noticeVersion, e.channel, e.occurredAt, e.hash, e.prevHash].map(csv).join(","));
  return [header.join(","), ...lines].join("\n") + "\n";
}
