import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "../fixtures/test.ts";
import type { Mailbox } from "../fixtures/mailbox.ts";

async function signIn(page: Page, mailbox: Mailbox, tag: string, next = "/me") {
  const email = `${tag}-${randomUUID().slice(0, 8)}@shopper.test`;
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(next)}`);
  await page.getByRole("textbox").fill(email);
  await page.getByRole("button", { name: /send me a sign-in link/i }).click();
  await page.goto((await mailbox.waitForMail(email)).links.find((l) => l.includes("/api/auth/callback/email"))!);
  return email;
}

test("a shopper asks for erasure; support verifies and approves; the data is gone and the receipt exists", async ({ page, browser, mailbox, staff, testDb }) => {
  const email = await signIn(page, mailbox, "erase", "/s/demo/consent");
  await page.getByTestId("toggle-recognition").click();
  await expect(page.getByTestId("status-recognition")).toHaveText("Allowed");
  const user = await testDb.user.findUniqueOrThrow({ where: { email } });

  await page.getByRole("link", { name: "My data" }).click();
  await page.getByRole("link", { name: "Erase my data" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Erase everything held on you?");
  await page.getByLabel("Store").selectOption({ label: "Veil Demo Store" });
  await page.getByRole("button", { name: "Yes, erase my data" }).click();
  await expect(page.getByRole("status")).toHaveText("Request received. You can follow it here.");
  await expect(page.getByTestId("request-ERASURE").getByTestId("request-status")).toHaveText("Received, waiting for the store");

  const support = await staff("SUPPORT");
  const desk = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await desk.goto("/staff/signin");
  await desk.getByLabel("E-mail").fill(support.email);
  await desk.getByLabel("Password").fill(support.password);
  await desk.getByRole("button", { name: "Sign in" }).click();
  await expect(desk).toHaveURL(/\/staff$/);
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
  expect(await testDb.consentEvent.count({ where: { userId: user.id } })).toBe(0);
  expect(await testDb.consentState.count({ where: { userId: user.id } })).toBe(0);
  expect(await testDb.erasureTombstone.count({ where: { requestId: request.id } })).toBe(1);
  // The shopper's old session no longer opens anything.
  await page.goto("/me");
  await expect(page).toHaveURL(/\/signin/);
});

test("a shopper downloads their export; another shopper's session gets 404", async ({ page, browser, mailbox }) => {
  await signIn(page, mailbox, "export");
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
  await signIn(other, mailbox, "other");
  const res = await other.request.get(href);
  expect(res.status()).toBe(404);
  expect((await (await browser.newContext()).request.get(new URL(href, page.url()).toString())).status()).toBe(401);
});

test("a shopper cannot open staff pages", async ({ page, mailbox }) => {
  await signIn(page, mailbox, "nosy");
  for (const p of ["/staff", "/staff/requests", "/staff/cameras"]) {
    await page.goto(p);
    await expect(page.locator("main [role=alert]")).toHaveCount(1);
    await expect(page.getByTestId("inbox")).toHaveCount(0);
    await expect(page.getByTestId("audit")).toHaveCount(0);
  }
});
