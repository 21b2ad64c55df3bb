import { mkdir, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { collectSubjectData } from "./collect-subject-data.ts";
import { isFinished } from "./request-status.ts";
import { erasureUnderway, lockSubject } from "../subjects/subject-lock.ts";

export const EXPORT_DAYS = 7;

/**
 * request.export: writes a JSON archive of everything held on the shopper (with purposes,
 * recipients and retention, GDPR art. 15) and a readable summary, available to that shopper only,
 * for EXPORT_DAYS. Safe to re-run: a completed request is left as it is.
 */
export async function buildExport(requestId: string, now = new Date()): Promise<{ status: string }> {
  const r = await db().dataRequest.findUnique({ where: { id: requestId }, include: { store: true } });
  if (!r || r.kind !== "ACCESS") return { status: "skipped" };
  if (isFinished(r.status)) return { status: "skipped" };
  if (!r.userId) return { status: "skipped" };
  // Only while still open: staff may have refused it since it was read (a refusal locks the row
  // and commits first); the condition is checked again once that lock is released.
  const started = await db().dataRequest.updateMany({
    where: { id: r.id, status: { in: ["APPROVED", "IN_PROGRESS", "FAILED"] } },
    data: { status: "IN_PROGRESS" },
  });
  if (started.count === 0) return { status: "skipped" };
  const data = await collectSubjectData(r.userId);
  const archive = {
    generatedAt: now.toISOString(),
    requestId: r.id,
    controller: { name: r.store.controllerName, contact: r.store.controllerContact },
    purposes: {
      footfall: "Anonymous counting: nothing about you is kept.",
      recognition:
        "Matching your face template (made at the store's kiosk) against store camera faces to record visits, only with your consent.",
      demographics: "Age band and gender for recognised visits, only with your consent.",
    },
    recipients: "None. Data is processed by the store's controller on the Veil system and not shared.",
    retention: {
      visitsDays: r.store.visitRetentionDays,
      templateMaxDays: r.store.templateMaxDays,
      exportsDays: EXPORT_DAYS,
    },
    summary: {
      consents: data.states.map(
        (s) => `${s.store.name}: ${s.purposeCode} ${s.status.toLowerCase()} (notice v${s.noticeVersion})`,
      ),
      template: data.template
        ? `${data.template.status.toLowerCase()} since ${data.template.updatedAt.toISOString().slice(0, 10)}, stored encrypted`
        : "none",
      visits: data.visits.length,
      requests: data.requests.length,
    },
    account: data.user,
    consentState: data.states.map((s) => ({
      store: s.store.slug,
      purpose: s.purposeCode,
      status: s.status,
      noticeVersion: s.noticeVersion,
      updatedAt: s.updatedAt,
    })),
    consentHistory: data.events.map((e) => ({
      id: e.id.toString(),
      store: e.storeId,
      purpose: e.purposeCode,
      action: e.action,
      noticeVersion: e.noticeVersion,
      channel: e.channel,
      at: e.occurredAt,
      hash: e.hash,
    })),
    faceTemplate: data.template
      ? { ...data.template, note: "The template is encrypted biometric data and is not copied into exports." }
      : null,
    // One entry per stay: first and last sighting, the cameras that saw you, how many sightings.
    visits: data.visits.map((v) => ({
      store: v.store.slug,
      from: v.firstSeenAt,
      until: v.lastSeenAt,
      cameras: v.cameras,
      sightings: v.sightings,
      ageBand: v.ageBand,
      gender: v.gender,
    })),
    checkIns: data.checkIns.map((c) => ({ store: c.storeId, from: c.startedAt, until: c.endedAt ?? c.expiresAt })),
    requests: data.requests.map((q) => ({
      id: q.id,
      kind: q.kind,
      status: q.status,
      receivedAt: q.receivedAt,
      dueAt: q.extendedDueAt ?? q.dueAt,
    })),
  };
  const dir = path.join(env().DATA_DIR, "exports");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${r.id}.json`);
  const userId = r.userId;
  // The file is written under the shopper's lock, and not at all once an erasure of them is
  // approved or running: an export racing an erasure either completes first (erasure then deletes
  // it) or leaves nothing behind.
  const written = await db()
    .$transaction(async (tx) => {
      await lockSubject(tx, userId);
      if (await erasureUnderway(tx, userId)) {
        await tx.dataRequest.update({
          where: { id: r.id },
          data: { status: "CANCELLED", completedAt: now, failureReason: "an erasure of this shopper was approved" },
        });
        return false;
      }
      await writeFile(
        file,
        JSON.stringify(archive, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2),
        { mode: 0o600 },
      );
      await tx.dataRequest.update({
        where: { id: r.id },
        data: {
          status: "COMPLETED",
          completedAt: now,
          exportPath: file,
          exportExpiresAt: new Date(now.getTime() + EXPORT_DAYS * 86_400_000),
        },
      });
      await appendAudit(tx, {
        actorId: null,
        actorRole: "SYSTEM",
        action: "request.export_ready",
        targetType: "DataRequest",
        targetId: r.id,
        storeId: r.storeId,
        details: { expiresInDays: EXPORT_DAYS },
      });
      return true;
    })
    .catch(async (e) => {
      await unlink(file).catch(() => {}); // not committed: no file without its row
      throw e;
    });
  if (!written) return { status: "skipped" };
  return { status: "COMPLETED" };
}
