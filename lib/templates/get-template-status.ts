import { db } from "../db.ts";

export type TemplateView = {
  status: "NONE" | "PENDING" | "ENROLLED" | "REJECTED";
  reason: string | null;
  updatedAt: Date | null;
};

/** What the shopper sees about their face template (never the template itself). */
export async function getTemplateStatus(userId: string): Promise<TemplateView> {
  const t = await db().faceTemplate.findUnique({
    where: { userId },
    select: { status: true, rejectReason: true, updatedAt: true },
  });
  return t
    ? { status: t.status, reason: t.rejectReason, updatedAt: t.updatedAt }
    : { status: "NONE", reason: null, updatedAt: null };
}
