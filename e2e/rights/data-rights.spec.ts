import { expect, signInShopper, signInStaff, test } from "../fixtures/test.ts";
import { LOCALE_COOKIE } from "../../lib/i18n/locales.ts";
import { messages } from "../../lib/i18n/messages.ts";

test("a shopper asks for erasure; support verifies and approves; the data is gone and the receipt exists", async ({
  page,
  browser,
  mailbox,
  staff,
  testDb,
}) => {
  const email = await signInShopper(page, mailbox, "erase");
  await page.getByTestId("toggle-recognition").click();
  await expect(page.getByTestId("status-recognition")).toHaveText("Allowed");
  const user = await testDb.user.findUniqueOrThrow({ where: { email } });
  const { pseudonym } = await testDb.subjectKey.findUniqueOrThrow({ where: { userId: user.id } });

  await page.getByRole("link", { name: "My data" }).click();
  await page.getByRole("link", { name: "Erase my data" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Erase everything held on you?");
  await page.getByLabel("Store").selectOption({ label: "Veil Demo Store" });
  await page.getByRole("button", { name: "Yes, erase my data" }).click();
  await expect(page.getByRole("status")).toHaveText("Request received. You can follow it here.");
  await expect(page.getByTestId("request-ERASURE").getByTestId("request-status")).toHaveText(
    "Received, waiting for the store",
  );

  const desk = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await signInStaff(desk, await staff("SUPPORT"));
  await desk.getByRole("link", { name: "Requests" }).click();
  const request = await testDb.dataRequest.findFirstOrThrow({ where: { userId: user.id, kind: "ERASURE" } });
  await desk.goto(`/staff/requests/${request.id}`);
  await expect(desk.getByTestId("held")).toContainText("1 consent events");
  await desk.getByRole("button", { name: "Approve" }).click();
  await expect(async () => {
    await desk.reload();
    await expect(desk.getByTestId("request-status")).toHaveText("Done", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(desk.getByTestId("receipt")).toContainText("subjectHash");

  expect(await testDb.user.count({ where: { id: user.id } })).toBe(0);
  expect(await testDb.consentEvent.count({ where: { subject: pseudonym } })).toBe(0);
  expect(await testDb.subjectKey.count({ where: { pseudonym } })).toBe(0);
  expect(await testDb.consentState.count({ where: { userId: user.id } })).toBe(0);
  expect(await testDb.erasureTombstone.count({ where: { requestId: request.id } })).toBe(1);
  // The shopper's old session no longer opens anything.
  await page.goto("/me");
  await expect(page).toHaveURL(/\/signin/);
});

test("a shopper downloads their export; another shopper's session gets 404", async ({ page, browser, mailbox }) => {
  await signInShopper(page, mailbox, "export", "/me");
  await page.getByLabel("Store").selectOption({ label: "Veil Demo Store" });
  await page.getByRole("button", { name: "Get a copy of my data" }).click();
  await expect(page.getByRole("status")).toHaveText("Request received. You can follow it here.");
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("export-link")).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  const href = (await page.getByTestId("export-link").getAttribute("href"))!;
  const download = page.waitForEvent("download");
  await page.getByTestId("export-link").click();
  const file = await download;
  const data = JSON.parse(Buffer.concat(await (await file.createReadStream()).toArray()).toString("utf8"));
  expect(data.controller.name).toBe("Veil Demo Retail Ltd.");
  expect(data).toHaveProperty("purposes.recognition");
  expect(data).toHaveProperty("retention.visitsDays");

  const other = await (await browser.newContext()).newPage();
  await signInShopper(other, mailbox, "other", "/me");
  const res = await other.request.get(href);
  expect(res.status()).toBe(404);
  expect((await (await browser.newContext()).request.get(new URL(href, page.url()).toString())).status()).toBe(401);
});

test("an export link that is not (or no longer) the shopper's opens My data with a translated message in the requests card, the same for another shopper's id, an expired one and an unknown one; other clients keep the JSON", async ({
  page,
  context,
  baseURL,
  browser,
  loginAs,
  testDb,
}) => {
  const demo = await testDb.store.findUniqueOrThrow({ where: { slug: "demo" } });
  const completed = (userId: string, expiresAt: Date) =>
    testDb.dataRequest.create({
      data: {
        userId,
        storeId: demo.id,
        kind: "ACCESS",
        status: "COMPLETED",
        dueAt: new Date(Date.now() + 86_400_000),
        completedAt: new Date(),
        exportPath: "/nonexistent/export.json",
        exportExpiresAt: expiresAt,
      },
    });
  const other = await loginAs("SHOPPER");
  const theirs = await completed(other.id, new Date(Date.now() + 86_400_000));
  const me = await loginAs("SHOPPER");
  const expired = await completed(me.id, new Date(Date.now() - 60_000));
  const ids = [theirs.id, expired.id, "cnosuchexport000000000000"];

  for (const locale of ["en", "fr", "zh-CN"] as const) {
    await context.addCookies([{ name: LOCALE_COOKIE, value: locale, url: baseURL! }]);
    const seen = [];
    for (const id of ids) {
      await page.goto(`/api/me/exports/${id}`);
      await expect(page).toHaveURL(/\/me\?error=export_unavailable#requests$/);
      const alert = page.locator("#requests").getByRole("alert");
      await expect(alert).toHaveText(messages(locale).errors.export_unavailable);
      await expect(alert).toBeInViewport();
      seen.push(page.url());
    }
    // Nothing tells another shopper's id from an unknown or expired one.
    expect(new Set(seen).size).toBe(1);
  }
  expect(messages("zh-CN").errors.export_unavailable).not.toBe(messages("en").errors.export_unavailable);

  // A program (no text/html in Accept) keeps the JSON answer, the same for every id.
  const bodies = new Set<string>();
  for (const id of ids) {
    const res = await page.request.get(`/api/me/exports/${id}`, { headers: { accept: "application/json" } });
    expect(res.status()).toBe(404);
    bodies.add(await res.text());
  }
  expect([...bodies]).toEqual([JSON.stringify({ error: "not_found", message: "export not found" })]);

  // Signed out, a browser is sent to sign in (a program still gets 401).
  const out = await (await browser.newContext()).newPage();
  await out.goto(`/api/me/exports/${theirs.id}`);
  await expect(out).toHaveURL(/\/signin\?callbackUrl=%2Fme/);
  await expect(out.getByRole("heading", { level: 1 })).toBeVisible();
});

test("on a long My data page the outcome of a request form shows where the shopper is; cancelling another shopper's request is refused and changes nothing", async ({
  page,
  loginAs,
  testDb,
}) => {
  const other = await loginAs("SHOPPER");
  const demo = await testDb.store.findUniqueOrThrow({ where: { slug: "demo" } });
  const theirs = await testDb.dataRequest.create({
    data: { userId: other.id, storeId: demo.id, kind: "ERASURE", dueAt: new Date(Date.now() + 86_400_000) },
  });
  // Then signed in as another shopper (loginAs replaces the session), with 20 visits and an erasure
  // request of their own.
  const me = await loginAs("SHOPPER");
  await testDb.visit.createMany({
    data: Array.from({ length: 20 }, (_, i) => ({
      userId: me.id,
      storeId: demo.id,
      firstSeenAt: new Date(Date.now() - (i + 1) * 86_400_000),
      lastSeenAt: new Date(Date.now() - (i + 1) * 86_400_000 + 600_000),
      score: 0.9,
    })),
  });
  await testDb.dataRequest.create({
    data: { userId: me.id, storeId: demo.id, kind: "ERASURE", dueAt: new Date(Date.now() + 86_400_000) },
  });
  await page.goto("/me");
  await page.getByRole("button", { name: "Get a copy of my data" }).click();
  const requests = page.locator("#requests");
  await expect(requests.getByRole("status")).toHaveText("Request received. You can follow it here.");
  await expect(requests.getByRole("status")).toBeInViewport();

  // The cancel form of their own request, sent with the other shopper's request id.
  const cancel = page.getByTestId("request-ERASURE").locator("form");
  await cancel.locator("input[name=request]").evaluate((el, id) => ((el as HTMLInputElement).value = id), theirs.id);
  await cancel.getByRole("button", { name: "Cancel this request" }).click();
  await expect(requests.getByRole("alert")).toHaveText("There is nothing here, or it is not yours to see.");
  await expect(requests.getByRole("alert")).toBeInViewport();
  expect((await testDb.dataRequest.findUniqueOrThrow({ where: { id: theirs.id } })).status).toBe("SUBMITTED");
});

test("a refusal reason with a long unbroken token wraps on a 360 px phone and on the request page instead of widening them", async ({
  page,
  loginAs,
  testDb,
}) => {
  const me = await loginAs("SHOPPER");
  const demo = await testDb.store.findUniqueOrThrow({ where: { slug: "demo" } });
  const r = await testDb.dataRequest.create({
    data: {
      userId: me.id,
      storeId: demo.id,
      kind: "ACCESS",
      status: "REJECTED",
      dueAt: new Date(Date.now() + 86_400_000),
      completedAt: new Date(),
      rejectionReason: `Same request as ticket ${"A1B2C3D4E5".repeat(6)}, answered on 2 December.`,
    },
  });
  const overflow = () =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.goto("/me");
  await expect(page.getByText("A1B2C3D4E5A1B2", { exact: false })).toBeVisible();
  expect(await overflow()).toBe(0);
  await loginAs("SUPPORT");
  await page.goto(`/staff/requests/${r.id}`);
  expect(await overflow()).toBe(0);
});

test("a shopper cannot open staff pages", async ({ page, mailbox }) => {
  await signInShopper(page, mailbox, "nosy", "/me");
  for (const p of ["/staff", "/staff/requests", "/staff/cameras"]) {
    await page.goto(p);
    await expect(page.locator("main [role=alert]")).toHaveCount(1);
    await expect(page.getByTestId("inbox")).toHaveCount(0);
    await expect(page.getByTestId("audit")).toHaveCount(0);
  }
});
