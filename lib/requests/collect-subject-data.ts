import { db } from "../db.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";

/**
 * Everything held on one shopper, for "My data" and the access export (GDPR art. 15). The face
 * template itself is biometric data kept only encrypted; it is described, never copied out.
 */
export async function collectSubjectData(userId: string) {
  const subject = (await existingPseudonym(userId)) ?? "";
  const [user, states, events, template, visits, checkIns, requests] = await Promise.all([
    db().user.findUnique({ where: { id: userId }, select: { id: true, email: true, createdAt: true, locale: true } }),
    db().consentState.findMany({ where: { userId }, include: { store: { select: { slug: true, name: true } } } }),
    db().consentEvent.findMany({ where: { subject }, orderBy: { id: "asc" } }),
    db().faceTemplate.findUnique({ where: { userId }, select: { status: true, modelVersion: true, createdAt: true, updatedAt: true, lastUsedAt: true, rejectReason: true, keyId: true } }),
    db().visit.findMany({ where: { userId }, orderBy: { seenAt: "desc" }, include: { store: { select: { slug: true, name: true } } } }),
    db().checkIn.findMany({ where: { userId }, orderBy: { startedAt: "desc" } }),
    db().dataRequest.findMany({ where: { userId }, orderBy: { receivedAt: "desc" }, include: { store: { select: { slug: true, name: true, complaintAuthority: true, complaintUrl: true } } } }),
  ]);
  return { user, states, events, template, visits, checkIns, requests };
}

export type SubjectData = Awaited<ReturnType<typeof collectSubjectData>>;
