import nodemailer from "nodemailer";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { appendAudit } from "../audit/append-audit.ts";
import { logError } from "../log/log-error.ts";
import { OPEN_STATUSES } from "./request-status.ts";
import { messages } from "../i18n/messages.ts";
import { firstLocale } from "../i18n/locales.ts";

/**
 * request.overdue: finds open requests due within 3 days or past due and tells staff (one e-mail
 * listing ids and deadlines, to every support and admin account), and reminds shoppers whose
 * request waits for their identity check. Each reminder is audited, at most once a day per request.
 */
export async function flagOverdue(now = new Date()) {
  const soon = new Date(now.getTime() + 3 * 86_400_000);
  const open = await db().dataRequest.findMany({
    where: { status: { in: [...OPEN_STATUSES] } },
    select: {
      id: true,
      storeId: true,
      status: true,
      dueAt: true,
      extendedDueAt: true,
      userId: true,
      store: { select: { defaultLocale: true } },
    },
  });
  const flagged = open.filter((r) => (r.extendedDueAt ?? r.dueAt) <= soon);
  const dayAgo = new Date(now.getTime() - 86_400_000);
  const fresh: typeof flagged = [];
  for (const r of flagged) {
    const recent = await db().auditLog.count({
      where: { targetType: "DataRequest", targetId: r.id, action: "request.overdue_notice", at: { gt: dayAgo } },
    });
    if (!recent) fresh.push(r);
  }
  for (const r of fresh) {
    const due = r.extendedDueAt ?? r.dueAt;
    await db().$transaction((tx) =>
      appendAudit(tx, {
        actorId: null,
        actorRole: "SYSTEM",
        action: "request.overdue_notice",
        targetType: "DataRequest",
        targetId: r.id,
        storeId: r.storeId,
        details: { due: due.toISOString(), overdue: due < now },
      }),
    );
  }
  const { SMTP_URL, MAIL_FROM, APP_URL } = env();
  if (SMTP_URL && fresh.length) {
    const transport = nodemailer.createTransport(SMTP_URL);
    const staff = await db().user.findMany({
      where: { role: { in: ["SUPPORT", "ADMIN"] } },
      select: { email: true, locale: true },
    });
    for (const s of staff) {
      if (!s.email) continue;
      // Each mail in its reader's language: the staff member's own choice, else English.
      const m = messages(firstLocale(s.locale));
      const lines = fresh.map((r) =>
        m.mail.overdueLine(
          (r.extendedDueAt ?? r.dueAt).toISOString().slice(0, 10),
          m.me.status[r.status] ?? r.status,
          `${APP_URL}/staff/requests/${r.id}`,
        ),
      );
      await transport
        .sendMail({
          to: s.email,
          from: MAIL_FROM,
          subject: m.mail.overdueSubject(fresh.length),
          text: [m.mail.overdueIntro, "", ...lines].join("\n"),
        })
        .catch((e) => logError("overdue.mail", e));
    }
    for (const r of fresh.filter((x) => x.status === "AWAITING_VERIFICATION" && x.userId)) {
      const u = await db().user.findUnique({ where: { id: r.userId! }, select: { email: true, locale: true } });
      if (u?.email) {
        const m = messages(firstLocale(u.locale, r.store.defaultLocale));
        await transport
          .sendMail({
            to: u.email,
            from: MAIL_FROM,
            subject: m.mail.identitySubject,
            text: m.mail.identityBody(`${APP_URL}/me`),
          })
          .catch((e) => logError("overdue.mail", e));
      }
    }
  }
  return { flagged: flagged.length, notified: fresh.length };
}
