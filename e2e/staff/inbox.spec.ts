import { randomUUID } from "node:crypto";
import type { Locator } from "@playwright/test";
import { expect, test } from "../fixtures/test.ts";
import { appendAudit } from "../../lib/audit/append-audit.ts";
import { LOCALE_COOKIE } from "../../lib/i18n/locales.ts";
import { messages } from "../../lib/i18n/messages.ts";

const DAY = 86_400_000;

// A store of its own, so other specs' requests do not change the counts; its clock is Shanghai's,
// so a deadline near midnight UTC reads as the next day everywhere it is shown.
async function storeWith(testDb: ReturnType<typeof import("../../lib/db.ts").db>, tag: string) {
  return testDb.store.create({
    data: {
      slug: `${tag}-${randomUUID().slice(0, 6)}`,
      name: `Inbox store ${tag}`,
      controllerName: "Veil test",
      controllerContact: "dpo@veil.test",
      timezone: "Asia/Shanghai",
    },
  });
}

test.describe("support inbox", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("counts per status, soonest deadline first, pages of 25, search by reference, assignee filter and an empty state", async ({
    page,
    loginAs,
    testDb,
  }) => {
    const support = await loginAs("SUPPORT");
    const store = await storeWith(testDb, "inbox");
    const now = Date.now();
    // 30 open requests, due from 2 days ago to 27 days ahead, created in shuffled order; 2 refused.
    const order = Array.from({ length: 30 }, (_, i) => i).sort(() => Math.random() - 0.5);
    for (const i of order)
      await testDb.dataRequest.create({
        data: { storeId: store.id, kind: i % 2 ? "ACCESS" : "ERASURE", dueAt: new Date(now + (i - 2) * DAY) },
      });
    for (let i = 0; i < 2; i++)
      await testDb.dataRequest.create({
        data: {
          storeId: store.id,
          kind: "ACCESS",
          status: "REJECTED",
          rejectionReason: "not the account holder",
          dueAt: new Date(now),
          completedAt: new Date(),
        },
      });

    await page.goto(`/staff/requests?store=${store.slug}`);
    const counts = page.getByTestId("inbox-counts");
    await expect(counts.getByRole("link", { name: "Open requests: 30" })).toBeVisible();
    await expect(counts.getByRole("link", { name: "Refused: 2" })).toBeVisible();
    await expect(page.getByTestId("inbox-total")).toHaveText("Showing 25 of 30, soonest deadline first.");
    const rows = page.getByTestId("inbox").locator("tbody tr");
    await expect(rows).toHaveCount(25);
    await expect(rows.first()).toContainText("overdue");
    await expect(rows.nth(3)).toContainText("due soon");
    await page.getByRole("link", { name: "Next page" }).click();
    await expect(rows).toHaveCount(5);
    await expect(page.getByText("Page 2 of 2")).toBeVisible();

    const wanted = await testDb.dataRequest.findFirstOrThrow({
      where: { storeId: store.id, status: "SUBMITTED" },
      orderBy: { dueAt: "desc" },
    });
    await page.goto(`/staff/requests?store=${store.slug}`);
    // A shopper reads out part of the reference shown on their My data page.
    await page.getByLabel("Request reference").fill(wanted.id.slice(-10));
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(wanted.id);

    // Assigned to me: nothing yet, then the one support takes.
    await page.goto(`/staff/requests?store=${store.slug}`);
    await page.getByLabel("Assigned to").selectOption({ label: "Me" });
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page.getByTestId("inbox-empty")).toHaveText("No request matches.");
    await expect(page.getByTestId("inbox")).toHaveCount(0);
    await testDb.dataRequest.update({ where: { id: wanted.id }, data: { assigneeId: support.id } });
    await page.reload();
    await expect(rows).toHaveCount(1);

    // Junk in every parameter is the default view, not an error.
    const junk = await page.goto(`/staff/requests?store=${store.slug}&status=FOO&page=-3&assignee=x&id=%00'--&kind=ZZ`);
    expect(junk?.status()).toBe(200);
    await expect(page.getByTestId("inbox-total")).toHaveText("Showing 25 of 30, soonest deadline first.");
  });

  test("a request reads the same for the shopper and for staff: the store's time, named; a finished one says when it finished", async ({
    page,
    loginAs,
    testDb,
  }) => {
    const shopper = await loginAs("SHOPPER");
    const store = await storeWith(testDb, "clock");
    // 20:00 UTC on 2 January is 04:00 on 3 January in Shanghai.
    const open = await testDb.dataRequest.create({
      data: { userId: shopper.id, storeId: store.id, kind: "ACCESS", dueAt: new Date("2027-01-02T20:00:00Z") },
    });
    await testDb.dataRequest.create({
      data: {
        userId: shopper.id,
        storeId: store.id,
        kind: "ERASURE",
        status: "REJECTED",
        rejectionReason: "asked twice",
        dueAt: new Date("2027-01-02T20:00:00Z"),
        completedAt: new Date("2026-11-30T18:30:00Z"),
      },
    });

    await page.goto("/me");
    await expect(page.getByTestId("request-ACCESS").getByTestId("request-date")).toHaveText(
      "Answer due by Jan 3, 2027",
    );
    await expect(page.getByTestId("request-ERASURE").getByTestId("request-date")).toHaveText("Finished on Dec 1, 2026");

    // Then staff, in the same browser (loginAs replaces the session cookie).
    await loginAs("SUPPORT");
    await page.goto(`/staff/requests?store=${store.slug}`);
    await expect(page.getByTestId("inbox").locator("tbody tr").first()).toContainText("Jan 3, 2027");
    await page.goto(`/staff/requests/${open.id}`);
    await expect(page.getByText("Answer due by Jan 3, 2027")).toBeVisible();
  });
});

test("the audit log reads an event on its store's clock, zone named, as the request's timeline does", async ({
  page,
  loginAs,
  testDb,
}) => {
  const support = await loginAs("SUPPORT");
  const store = await storeWith(testDb, "audit");
  const r = await testDb.dataRequest.create({
    data: { storeId: store.id, kind: "ACCESS", dueAt: new Date(Date.now() + 10 * DAY) },
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/staff/requests/${r.id}`);
  await page.locator("#form-assign").getByRole("button", { name: "Assign to me" }).click();
  await expect(page.locator("#form-assign").getByRole("status")).toHaveText("Assigned to you.");
  const row = await testDb.auditLog.findFirstOrThrow({ where: { targetId: r.id, actorId: support.id } });
  const shanghai = (o: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat("en", { ...o, timeZone: "Asia/Shanghai" }).format(row.at);
  await expect(page.getByTestId("timeline")).toContainText(
    shanghai({
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZoneName: "short",
    }),
  );
  await page.goto("/staff");
  await expect(page.getByTestId("audit").locator("tr", { hasText: r.id })).toContainText(
    shanghai({ dateStyle: "short", timeStyle: "long" }),
  );
});

/**
 * Types past a field's own length limits, as a script could send it. Retried until the field holds
 * the whole text: a re-render of the page that came back from the previous form (its navigation
 * still settling on a loaded machine) puts the limits back and would cut the text silently.
 */
async function overLimit(field: Locator, text: string) {
  await field.page().waitForLoadState("networkidle");
  await expect(async () => {
    await field.evaluate((el) => (el.removeAttribute("minlength"), el.removeAttribute("maxlength")));
    await field.fill(text);
    await expect(field).toHaveValue(text, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
}

test.describe("a request's forms", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("each form answers beside itself, naming what was done; refused input keeps the request page; an extension to a day ends that day on the store's clock", async ({
    page,
    loginAs,
    testDb,
  }) => {
    await loginAs("SUPPORT");
    const store = await storeWith(testDb, "forms");
    const r = await testDb.dataRequest.create({
      data: { storeId: store.id, kind: "ERASURE", dueAt: new Date(Date.now() + 10 * DAY) },
    });
    await page.goto(`/staff/requests/${r.id}`);
    const reject = page.locator("#form-reject");
    const reason = page.getByLabel("Reason for refusal (shown to the shopper)");
    // Too short and, past the field's own limit (as a script could send it), too long: the page
    // stays on this request and says why, beside the form; nothing changes.
    for (const text of ["no", "x".repeat(2500)]) {
      await overLimit(reason, text);
      await reject.getByRole("button", { name: "Reject" }).click();
      await expect(page).toHaveURL(
        new RegExp(`/staff/requests/${r.id}\\?error=invalid_input&form=reject#form-reject$`),
      );
      await expect(reject.getByRole("alert")).toHaveText("Give a reason of 5 to 2000 characters.");
      await expect(reject.getByRole("alert")).toBeInViewport();
      await expect(page.locator("main").getByRole("alert")).toHaveCount(1);
    }
    const note = page.locator("#form-note");
    await overLimit(page.getByLabel("Note", { exact: true }), "y".repeat(2500));
    await note.getByRole("button", { name: "Add note" }).click();
    await expect(note.getByRole("alert")).toHaveText("Write a note of at most 2000 characters.");
    expect(await testDb.dataRequest.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({
      status: "SUBMITTED",
      rejectionReason: null,
    });
    expect(await testDb.auditLog.count({ where: { targetId: r.id, action: "request.note" } })).toBe(0);

    // 20 days after the deadline, as the date field sends it: due that day in Shanghai, not the next.
    const day = new Date(r.dueAt.getTime() + 20 * DAY).toISOString().slice(0, 10);
    const shown = new Intl.DateTimeFormat("en", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
    await page.getByLabel("Extend until").fill(day);
    await page.getByLabel("Reason for the extension (shown to the shopper)").fill("complex request, many systems");
    await page.locator("#form-extend").getByRole("button", { name: "Extend" }).click();
    await expect(page.locator("#form-extend").getByRole("status")).toHaveText(
      "Deadline extended: the shopper sees the new date and your reason.",
    );
    await expect(page.getByText(`Answer due by ${shown.format(new Date(`${day}T12:00:00Z`))}`)).toBeVisible();
  });
});

test("My data shows visits (stays) 20 at a time with the total, newest first, and an old page link lands on the last page", async ({
  page,
  loginAs,
  testDb,
}) => {
  const shopper = await loginAs("SHOPPER");
  const demo = await testDb.store.findUniqueOrThrow({ where: { slug: "demo" } });
  const start = Date.parse("2026-10-01T08:00:00Z");
  await testDb.visit.createMany({
    data: Array.from({ length: 45 }, (_, i) => ({
      userId: shopper.id,
      storeId: demo.id,
      firstSeenAt: new Date(start + i * 86_400_000),
      lastSeenAt: new Date(start + i * 86_400_000 + 12 * 60_000),
      cameraIds: ["cam-test"],
      sightings: 7,
      score: 0.9,
    })),
  });
  await page.goto("/me");
  await expect(page.getByTestId("visit-count")).toHaveText("45 visits recorded.");
  const items = page.getByTestId("visits").locator("li");
  await expect(items).toHaveCount(20);
  // Newest first, on the store's clock (Paris), zone named: 14 Nov 2026 08:00 UTC is 09:00 GMT+1;
  // each stay with its time range, length, cameras (a camera removed since by its id) and sightings.
  await expect(items.first()).toContainText(
    "Nov 14, 2026, 9:00 – 9:12 AM GMT+1 (12 min) — cameras: cam-test — seen 7 times",
  );
  await page.getByRole("link", { name: "Older visits" }).click();
  await expect(page.getByText("Page 2 of 3")).toBeVisible();
  await page.getByRole("link", { name: "Older visits" }).click();
  await expect(items).toHaveCount(5);
  await expect(items.last()).toContainText("Oct 1, 2026, 10:00 – 10:12 AM GMT+2");
  await expect(page.getByRole("link", { name: "Older visits" })).toHaveCount(0);
  await page.goto("/me?visits=999");
  await expect(page.getByText("Page 3 of 3")).toBeVisible();
  expect((await page.goto("/me?visits=-1&visits=2"))?.status()).toBe(200);
  await expect(items).toHaveCount(20);
});

test("a request's timeline shows 25 events at a time with the total, newest first, in every language; an old page link lands on the last page", async ({
  page,
  context,
  baseURL,
  loginAs,
  testDb,
}) => {
  await loginAs("SUPPORT");
  await page.setViewportSize({ width: 1280, height: 800 });
  const store = await storeWith(testDb, "timeline");
  const shopper = await testDb.user.create({ data: { email: `tl-${randomUUID().slice(0, 8)}@shopper.test` } });
  const r = await testDb.dataRequest.create({
    data: { userId: shopper.id, storeId: store.id, kind: "ACCESS", dueAt: new Date(Date.now() + 10 * DAY) },
  });
  for (let i = 1; i <= 52; i++)
    await testDb.$transaction((tx) =>
      appendAudit(tx, {
        subjectOf: shopper.id,
        actorId: null,
        actorRole: "SYSTEM",
        action: "request.note",
        targetType: "DataRequest",
        targetId: r.id,
        storeId: store.id,
        details: { note: `note number ${i}.` },
      }),
    );
  const items = page.getByTestId("timeline").locator("li");
  await page.goto(`/staff/requests/${r.id}`);
  await expect(page.getByTestId("timeline-count")).toHaveText("52 events");
  await expect(items).toHaveCount(25);
  await expect(items.first()).toContainText("note number 52.");
  await expect(page.getByText("Page 1 of 3")).toBeVisible();
  await page.getByRole("link", { name: "Older events" }).click();
  await expect(items.first()).toContainText("note number 27.");
  await page.getByRole("link", { name: "Older events" }).click();
  await expect(items).toHaveCount(2);
  await expect(items.last()).toContainText("note number 1.");
  await expect(page.getByRole("link", { name: "Older events" })).toHaveCount(0);
  await page.getByRole("link", { name: "Newer events" }).click();
  await expect(page.getByText("Page 2 of 3")).toBeVisible();
  await page.goto(`/staff/requests/${r.id}?timeline=999`);
  await expect(page.getByText("Page 3 of 3")).toBeVisible();
  expect((await page.goto(`/staff/requests/${r.id}?timeline=-1&timeline=2`))?.status()).toBe(200);
  await expect(items).toHaveCount(25);

  for (const locale of ["fr", "zh-CN"] as const) {
    await context.addCookies([{ name: LOCALE_COOKIE, value: locale, url: baseURL! }]);
    const t = messages(locale).staff.request;
    await page.goto(`/staff/requests/${r.id}?timeline=2`);
    await expect(page.getByTestId("timeline-count")).toHaveText(t.timelineCount(52));
    await expect(page.getByRole("navigation", { name: t.timelinePages })).toContainText(
      messages(locale).me.pageOf(2, 3),
    );
    await expect(page.getByRole("link", { name: t.newerEvents })).toBeVisible();
    await expect(page.getByRole("link", { name: t.olderEvents })).toBeVisible();
  }
});
