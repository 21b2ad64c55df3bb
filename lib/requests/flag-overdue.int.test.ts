// The request.overdue job through BullMQ on real Redis and PostgreSQL, mailing through a real SMTP
// server: requests due within 3 days or past due are audited and sent to staff once a day, a
// shopper whose request waits for their identity check is reminded, and later deadlines are left alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Mailbox } from "../../e2e/fixtures/mailbox.ts";
import { freePort } from "../../scripts/lib/free-port.ts";
import { db } from "../db.ts";
import { resetEnvForTests } from "../env.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { startMaintenanceWorker, type MaintenanceWorker } from "../../tests/maintenance-worker.ts";
import { enqueue } from "../jobs/queues.ts";
import { messages } from "../i18n/messages.ts";

const DAY = 86_400_000;
let mailbox: Mailbox;
let worker: MaintenanceWorker | undefined;

beforeAll(async () => {
  mailbox = new Mailbox(await freePort());
  await mailbox.start();
  process.env.SMTP_URL = `smtp://127.0.0.1:${mailbox.port}`;
  resetEnvForTests();
  worker = await startMaintenanceWorker();
});

afterAll(async () => {
  await worker?.stop();
  await mailbox?.stop();
  delete process.env.SMTP_URL;
  resetEnvForTests();
});

const notices = (id: string) =>
  db().auditLog.findMany({ where: { targetType: "DataRequest", targetId: id, action: "request.overdue_notice" } });

describe("request.overdue through BullMQ", () => {
  it("flags what is due within 3 days or overdue, mails staff and the waiting shopper, and only once a day", async () => {
    const store = await makeStore();
    const support = await makeUser("SUPPORT");
    // Each mail in its reader's language: one staff member and the waiting shopper chose theirs.
    const supportFr = await db().user.update({ where: { id: (await makeUser("SUPPORT")).id }, data: { locale: "fr" } });
    const [a, b, c, d] = [await makeUser(), await makeUser(), await makeUser(), await makeUser()];
    const now = Date.now();
    const make = (
      userId: string,
      status: "SUBMITTED" | "AWAITING_VERIFICATION" | "COMPLETED",
      dueAt: number,
      extendedDueAt?: number,
    ) =>
      db().dataRequest.create({
        data: {
          userId,
          storeId: store.id,
          kind: "ERASURE",
          status,
          dueAt: new Date(dueAt),
          extendedDueAt: extendedDueAt ? new Date(extendedDueAt) : null,
        },
      });
    await db().user.update({ where: { id: b.id }, data: { locale: "zh-CN" } });
    const overdue = await make(a.id, "SUBMITTED", now - DAY);
    const dueSoon = await make(b.id, "AWAITING_VERIFICATION", now + 2 * DAY);
    const later = await make(c.id, "SUBMITTED", now + 10 * DAY);
    const extended = await make(d.id, "SUBMITTED", now - DAY, now + 20 * DAY); // the extended deadline counts
    const done = await make(d.id, "COMPLETED", now - 5 * DAY);

    const job = await enqueue("request.overdue", {});
    const result = (await job.waitUntilFinished(worker!.events, 30_000)) as { flagged: number; notified: number };
    expect(result.notified).toBeGreaterThanOrEqual(2);

    expect((await notices(overdue.id)).map((n) => n.details)).toEqual([
      { due: overdue.dueAt.toISOString(), overdue: true },
    ]);
    expect((await notices(dueSoon.id)).map((n) => n.details)).toEqual([
      { due: dueSoon.dueAt.toISOString(), overdue: false },
    ]);
    for (const r of [later, extended, done]) expect(await notices(r.id), r.id).toEqual([]);

    const staffMail = await mailbox.waitForMail(support.email!);
    expect(staffMail.text).toContain(`/staff/requests/${overdue.id}`);
    expect(staffMail.text).toContain(`/staff/requests/${dueSoon.id}`);
    for (const r of [later, extended, done]) expect(staffMail.text).not.toContain(r.id);
    expect(staffMail.subject).toBe(messages("en").mail.overdueSubject(result.notified));
    const frMail = await mailbox.waitForMail(supportFr.email!);
    expect(frMail.subject).toBe(messages("fr").mail.overdueSubject(result.notified));
    expect(frMail.text).toContain(`${messages("fr").me.status.SUBMITTED} — `);
    expect(frMail.text).toContain(`/staff/requests/${overdue.id}`);
    const reminder = await mailbox.waitForMail(b.email!);
    expect(reminder.links.some((l) => l.endsWith("/me"))).toBe(true);
    expect(reminder.subject).toBe(messages("zh-CN").mail.identitySubject);

    // The next run the same day notifies nobody about these two again.
    const again = await enqueue("request.overdue", {});
    await again.waitUntilFinished(worker!.events, 30_000);
    expect((await notices(overdue.id)).length).toBe(1);
    expect((await notices(dueSoon.id)).length).toBe(1);
  });
});
