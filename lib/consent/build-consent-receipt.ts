import { db } from "../db.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";
import { AppError } from "../errors/app-error.ts";
import { effectiveStatus } from "./projection.ts";
import { verifyLedger } from "./ledger-hash.ts";
import type { WithdrawalEffects } from "./withdrawal-effects.ts";

const PURPOSE_DESCRIPTIONS: Record<string, string> = {
  recognition:
    "Match the shopper's face template (enrolled at the store's kiosk) against store camera faces to record visits",
  demographics: "Estimate age band and gender of a recognised shopper",
  footfall: "Anonymous visitor counting; nothing identifying is kept",
};

/**
 * A consent receipt for one ledger event, owned by the shopper asking. Field names follow
 * ISO/IEC TS 27560 (consent record information structure) where they apply. Another shopper's
 * event id gives not_found, never forbidden, so ids cannot be probed.
 */
export async function buildConsentReceipt(userId: string, eventId: string) {
  if (!/^\d{1,18}$/.test(eventId)) throw new AppError("not_found", "receipt not found");
  const [event, subject] = await Promise.all([
    db().consentEvent.findUnique({ where: { id: BigInt(eventId) } }),
    existingPseudonym(userId),
  ]);
  if (!event || !subject || event.subject !== subject) throw new AppError("not_found", "receipt not found");

  const [store, notice, state, chain, audit] = await Promise.all([
    db().store.findUniqueOrThrow({ where: { id: event.storeId } }),
    db().notice.findUniqueOrThrow({ where: { id: event.noticeId }, include: { texts: { select: { locale: true } } } }),
    db().consentState.findUnique({
      where: { userId_storeId_purposeCode: { userId, storeId: event.storeId, purposeCode: event.purposeCode } },
    }),
    db().consentEvent.findMany({ where: { subject }, orderBy: { id: "asc" } }),
    db().auditLog.findFirst({
      where: { targetType: "ConsentEvent", targetId: event.id.toString() },
      select: { details: true },
    }),
  ]);
  const effects = (audit?.details as { withdrawal?: WithdrawalEffects } | undefined)?.withdrawal;
  const material = await db().notice.findFirst({
    where: { storeId: store.id, material: true },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  const verdict = verifyLedger(chain);

  return {
    schema_version: "ISO/IEC TS 27560:2023 (subset)",
    record_id: `consent-event-${event.id}`,
    pii_principal_id: userId,
    record_created: event.occurredAt.toISOString(),
    pii_controllers: [{ name: store.controllerName, contact: store.controllerContact, on_behalf: false }],
    notice: {
      notice_id: notice.id,
      version: notice.version,
      published: notice.publishedAt.toISOString(),
      languages: notice.texts.map((t) => t.locale),
      material_change: notice.material,
    },
    jurisdiction: store.jurisdiction,
    store: { id: store.id, slug: store.slug, name: store.name },
    purposes: [
      {
        purpose: event.purposeCode,
        purpose_description: PURPOSE_DESCRIPTIONS[event.purposeCode] ?? event.purposeCode,
        lawful_basis: "consent",
        pii_categories: event.purposeCode === "recognition" ? ["facial biometric template"] : ["age band", "gender"],
        special_category: true,
      },
    ],
    event: {
      type: event.action === "GRANT" ? "given" : "withdrawn",
      time: event.occurredAt.toISOString(),
      collection_method: event.channel,
      notice_version: event.noticeVersion,
      // What the withdrawal deleted at this store, in the same transaction.
      ...(effects
        ? {
            data_deleted: {
              visits_deleted: effects.visitsDeleted,
              visits_demographics_cleared: effects.demographicsCleared,
            },
          }
        : {}),
    },
    current_state: effectiveStatus(state, material?.version ?? 0),
    proof: { event_hash: event.hash, previous_hash: event.prevHash, chain_verified: verdict.ok },
  };
}
