import { db } from "../db.ts";
import { openTemplate } from "../templates/template-codec.ts";
import { logError } from "../log/log-error.ts";

export type GalleryEntry = {
  userId: string;
  embedding: Float32Array;
  demographics: boolean;
  // End of the shopper's check-in window (presence-gated stores); null in always-on stores.
  until: Date | null;
};

/**
 * The store's live gallery: enrolled templates of shoppers whose recognition consent is in force
 * there and, in a presence-gated store, who are checked in now. Empty when recognition is off.
 */
export async function loadStoreGallery(storeId: string, now = new Date()): Promise<GalleryEntry[]> {
  const rows = await db().$queryRaw<
    { userId: string; ciphertext: Uint8Array; keyId: string; demographics: boolean; until: Date | null; mode: string }[]
  >`
    SELECT t."userId", t.ciphertext, t."keyId", s."recognitionMode"::text AS mode,
      veil_consent_in_force(t."userId", s.id, 'demographics') AS demographics,
      CASE WHEN s."recognitionMode" = 'ALWAYS' THEN NULL ELSE (
        SELECT MAX(c."expiresAt") FROM "CheckIn" c
        WHERE c."userId" = t."userId" AND c."storeId" = s.id AND c."endedAt" IS NULL
          AND c."startedAt" <= ${now} AND c."expiresAt" > ${now}
      ) END AS until
    FROM "FaceTemplate" t
    JOIN "Store" s ON s.id = ${storeId} AND s."recognitionEnabled"
    WHERE t.status = 'ENROLLED' AND t.ciphertext IS NOT NULL AND veil_consent_in_force(t."userId", s.id, 'recognition')`;

  const entries: GalleryEntry[] = [];
  for (const row of rows) {
    // Presence-gated store and no open check-in: not in the gallery.
    if (row.mode !== "ALWAYS" && row.until === null) continue;
    try {
      entries.push({
        userId: row.userId,
        embedding: openTemplate(row.userId, row.ciphertext, row.keyId),
        demographics: row.demographics,
        until: row.until,
      });
    } catch (e) {
      logError("gallery.open_template", e, { userId: row.userId });
    }
  }
  return entries;
}
