import { db } from "../db.ts";
import { AppError } from "../errors/app-error.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { publishGalleryChanged } from "../gallery/publish-gallery-changed.ts";
import type { Actor } from "../auth/actor.ts";

/**
 * Turns recognition on or off for a store and chooses presence-gated or always-on matching.
 * Admin only; who changed it and when is in the audit log, and the notice shows the mode.
 */
export async function setRecognitionMode(opts: {
  storeSlug: string;
  enabled: boolean;
  mode: "PRESENCE" | "ALWAYS";
  actor: Actor;
}) {
  if (opts.actor.role !== "ADMIN" && opts.actor.role !== "SYSTEM")
    throw new AppError("forbidden", "only admins change recognition settings");
  const store = await db().$transaction(async (tx) => {
    const before = await tx.store.findUnique({ where: { slug: opts.storeSlug } });
    if (!before) throw new AppError("unknown_store", `store ${opts.storeSlug} not found`);
    const after = await tx.store.update({
      where: { id: before.id },
      data: { recognitionEnabled: opts.enabled, recognitionMode: opts.mode },
    });
    await appendAudit(tx, {
      actorId: opts.actor.id,
      actorRole: opts.actor.role,
      action: "store.recognition_mode",
      targetType: "Store",
      targetId: before.id,
      storeId: before.id,
      details: {
        from: { enabled: before.recognitionEnabled, mode: before.recognitionMode },
        to: { enabled: opts.enabled, mode: opts.mode },
      },
    });
    return after;
  });
  await publishGalleryChanged({ storeId: store.id, userId: null, reason: "store" });
  return store;
}
