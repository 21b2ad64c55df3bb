import { db } from "../db.ts";

const csv = (v: unknown) => {
  const s = v instanceof Date ? v.toISOString() : String(v ?? "");
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const CONSENT_CSV_HEADER = [
  "event_id",
  "subject_id",
  "store_id",
  "purpose",
  "action",
  "notice_version",
  "channel",
  "occurred_at",
  "hash",
  "previous_hash",
];

/**
 * Consent ledger rows of a store and period as CSV lines, for auditors: pseudonymous ids, no
 * e-mail. Streamed in pages by event id (keyset), so a ledger of any length is exported whole with
 * bounded memory; nothing is cut off.
 */
export async function* exportConsentCsv(opts: {
  storeSlug?: string;
  from?: Date;
  to?: Date;
  pageSize?: number;
}): AsyncGenerator<string> {
  const storeId = opts.storeSlug
    ? ((await db().store.findUnique({ where: { slug: opts.storeSlug }, select: { id: true } }))?.id ?? "-")
    : undefined;
  const pageSize = opts.pageSize ?? 5000;
  yield CONSENT_CSV_HEADER.join(",") + "\n";
  let after: bigint | undefined;
  for (;;) {
    const events = await db().consentEvent.findMany({
      where: {
        storeId,
        occurredAt: { gte: opts.from, lt: opts.to },
        ...(after !== undefined ? { id: { gt: after } } : {}),
      },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    if (!events.length) return;
    yield events
      .map(
        (e) =>
          [
            e.id.toString(),
            e.subject,
            e.storeId,
            e.purposeCode,
            e.action,
            e.noticeVersion,
            e.channel,
            e.occurredAt,
            e.hash,
            e.prevHash,
          ]
            .map(csv)
            .join(",") + "\n",
      )
      .join("");
    if (events.length < pageSize) return;
    after = events[events.length - 1]!.id;
  }
}
