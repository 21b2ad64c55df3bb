import { db } from "../db.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";
import type { WithdrawalEffects } from "../consent/withdrawal-effects.ts";

/**
 * Everything held on one shopper, for "My data" and the access export (GDPR art. 15). The face
 * template itself is biometric data kept only encrypted; it is described, never copied out.
 */
export async function collectSubjectData(userId: string, visitPage?: VisitPage) {
  const subject = (await existingPseudonym(userId)) ?? "";
  const [user, states, events, template, visits, visitCount, checkIns, requests, revocations] = await Promise.all([
    db().user.findUnique({ where: { id: userId }, select: { id: true, email: true, createdAt: true, locale: true } }),
    db().consentState.findMany({ where: { userId }, include: { store: { select: { slug: true, name: true } } } }),
    db().consentEvent.findMany({ where: { subject }, orderBy: { id: "asc" } }),
    db().faceTemplate.findUnique({
      where: { userId },
      select: {
        status: true,
        modelVersion: true,
        createdAt: true,
        updatedAt: true,
        lastUsedAt: true,
        rejectReason: true,
        keyId: true,
      },
    }),
    db().visit.findMany({
      where: { userId },
      orderBy: [{ lastSeenAt: "desc" }, { id: "desc" }],
      skip: visitPage?.skip,
      take: visitPage?.take,
      include: { store: { select: { slug: true, name: true, timezone: true } } },
    }),
    db().visit.count({ where: { userId } }),
    db().checkIn.findMany({ where: { userId }, orderBy: { startedAt: "desc" } }),
    db().dataRequest.findMany({
      where: { userId },
      orderBy: { receivedAt: "desc" },
      include: {
        store: { select: { slug: true, name: true, timezone: true, complaintAuthority: true, complaintUrl: true } },
      },
    }),
    db().auditLog.findMany({
      where: { subject, action: "consent.revoke" },
      orderBy: { id: "desc" },
      take: 500,
      select: { at: true, storeId: true, details: true },
    }),
  ]);
  // The cameras of these visits by name (a camera removed since is shown by its id).
  const cameraNames = new Map(
    (
      await db().camera.findMany({
        where: { id: { in: [...new Set(visits.flatMap((v) => v.cameraIds))] } },
        select: { id: true, name: true },
      })
    ).map((c) => [c.id, c.name]),
  );
  const visitsWithCameras = visits.map((v) => ({
    ...v,
    cameras: v.cameraIds.map((id) => ({ id, name: cameraNames.get(id) ?? id })),
  }));
  // What each withdrawal deleted, from its audit record (the visits themselves are gone).
  const stores = new Map(
    (
      await db().store.findMany({
        where: { id: { in: [...new Set(revocations.map((r) => r.storeId ?? ""))] } },
        select: { id: true, name: true, timezone: true },
      })
    ).map((s) => [s.id, s]),
  );
  const withdrawals = revocations.flatMap((r) => {
    const d = r.details as { purpose?: string; withdrawal?: WithdrawalEffects };
    if (!d.withdrawal || d.withdrawal.visitsDeleted + d.withdrawal.demographicsCleared === 0) return [];
    const store = stores.get(r.storeId ?? "");
    return [
      {
        at: r.at,
        storeName: store?.name ?? "",
        storeTimezone: store?.timezone ?? "UTC",
        purpose: d.purpose ?? "",
        ...d.withdrawal,
      },
    ];
  });
  return { user, states, events, template, visits: visitsWithCameras, visitCount, checkIns, requests, withdrawals };
}

/** A window of the visits, newest first, for a page that cannot show thousands of them at once. */
export type VisitPage = { skip: number; take: number };

export type SubjectData = Awaited<ReturnType<typeof collectSubjectData>>;
