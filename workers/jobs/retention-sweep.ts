import { unlink } from "node:fs/promises";
import { db } from "../../lib/db.ts";
import { publishGalleryChanged } from "../../lib/gallery/publish-gallery-changed.ts";
import { deleteTemplateTx } from "../../lib/templates/delete-template.ts";

const gone = (file: string) =>
  unlink(file).catch((e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? undefined : Promise.reject(e)));

/**
 * Deletes what has outlived its purpose; safe to run any number of times: expired sign-in tokens
 * and sessions, visits past their store's retention, expired access exports (file and link),
 * blurred frames past retention (invariant 7), and templates unused for longer than the store's
 * maximum (BIPA: 3 years after the last interaction by default).
 */
export async function retentionSweep(now = new Date()) {
  const [tokens, sessions] = await db().$transaction([
    db().verificationToken.deleteMany({ where: { expires: { lt: now } } }),
    db().session.deleteMany({ where: { expires: { lt: now } } }),
  ]);

  const visits = await db().$executeRaw`
    DELETE FROM "Visit" v USING "Store" s
    WHERE v."storeId" = s.id AND v."lastSeenAt" < ${now}::timestamp - make_interval(days => s."visitRetentionDays")`;

  const exports = await db().dataRequest.findMany({
    where: { exportExpiresAt: { lt: now }, exportPath: { not: null } },
    select: { id: true, exportPath: true },
  });
  for (const e of exports) await gone(e.exportPath!);
  await db().dataRequest.updateMany({ where: { id: { in: exports.map((e) => e.id) } }, data: { exportPath: null } });

  const frames = await db().storedFrame.findMany({
    where: { expiresAt: { lt: now } },
    select: { id: true, path: true },
  });
  for (const f of frames) await gone(f.path);
  await db().storedFrame.deleteMany({ where: { id: { in: frames.map((f) => f.id) } } });

  // A template lives at most the longest templateMaxDays among the stores the shopper consented at.
  // Deliberately not veil_consent_in_force(): a lifetime counts every store ever consented at, and
  // a revocation already deleted the template (docs/decisions/0001).
  const stale = await db().$queryRaw<{ userId: string }[]>`
    SELECT t."userId" FROM "FaceTemplate" t
    WHERE COALESCE(t."lastUsedAt", t."updatedAt") < ${now}::timestamp - make_interval(days => COALESCE((
      SELECT MAX(s."templateMaxDays") FROM "ConsentState" c JOIN "Store" s ON s.id = c."storeId"
      WHERE c."userId" = t."userId" AND c."purposeCode" = 'recognition'), 1095))`;
  if (stale.length) {
    // The same use case as a shopper's own deletion and a revocation: each deletion is audited.
    for (const { userId } of stale)
      await db().$transaction((tx) => deleteTemplateTx(tx, userId, { id: null, role: "SYSTEM" }, "retention"));
    await publishGalleryChanged({ storeId: null, userId: null, reason: "template" });
  }
  return {
    verificationTokens: tokens.count,
    sessions: sessions.count,
    visits,
    exports: exports.length,
    frames: frames.length,
    templates: stale.length,
  };
}
