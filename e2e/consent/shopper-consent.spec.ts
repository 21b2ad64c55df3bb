import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "../fixtures/test.ts";
import { changeMindOften } from "../../tests/fixtures.ts";
import { messages } from "../../lib/i18n/messages.ts";

// A new shopper on a phone: reads the notice, signs in through the e-mailed link (real SMTP to the
// test's own mailbox), grants and revokes recognition, sees both in the history, downloads a receipt.

function newEmail(tag: string) {
  return `${tag}-${randomUUID().slice(0, 8)}@shopper.test`;
}

async function signInByMail(
  page: Page,
  mailbox: { waitForMail: (to: string, o?: { timeoutMs?: number }) => Promise<{ links: string[] }> },
  email: string,
  submitLabel: RegExp,
) {
  await page.getByRole("textbox").fill(email);
  await page.getByRole("button", { name: submitLabel }).click();
  const mail = await mailbox.waitForMail(email, { timeoutMs: 15_000 });
  const link = mail.links.find((l) => l.includes("/api/auth/callback/email"));
  expect(link, "sign-in mail carries the callback link").toBeTruthy();
  return link!;
}

test("English: sign in by e-mail link, grant and revoke recognition, history and receipt", async ({
  page,
  mailbox,
}) => {
  const email = newEmail("en");
  await page.goto("/s/demo");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("cameras and your face");
  await expect(page.getByRole("heading", { name: "Your rights" })).toBeVisible();
  // The complaint address is a link, not text to copy by hand.
  await expect(page.getByRole("link", { name: "https://www.cnil.fr/fr/plaintes" })).toHaveAttribute(
    "href",
    "https://www.cnil.fr/fr/plaintes",
  );
  await page.getByRole("link", { name: "Manage my choices" }).click();
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);

  const link = await signInByMail(page, mailbox, email, /send me a sign-in link/i);
  await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
  await page.goto(link);
  await expect(page).toHaveURL(/\/s\/demo\/consent/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your choices at Veil Demo Store");
  await expect(page.getByTestId("status-recognition")).toHaveText("Not allowed");
  await expect(page.getByText("No choices recorded yet.")).toBeVisible();

  const toggle = page.getByTestId("toggle-recognition");
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.click();
  await expect(page.locator("#p-recognition").getByRole("status")).toHaveText("Saved: “Recognise me” is allowed.");
  await expect(page.getByTestId("status-recognition")).toHaveText("Allowed");
  await expect(page.getByTestId("toggle-recognition")).toHaveAttribute("aria-checked", "true");
  await expect(page.getByTestId("history").locator("tbody tr")).toHaveCount(1);
  await expect(page.getByTestId("history")).toContainText("Allowed");
  // On the store's clock (Paris), the zone named as on My data and the staff pages.
  await expect(page.getByTestId("history").locator("tbody tr time")).toHaveText(/\sGMT\+[12]$/);

  await page.getByTestId("toggle-recognition").click();
  await expect(page.getByRole("status")).toHaveText("Saved: “Recognise me” is withdrawn.");
  await expect(page.getByTestId("status-recognition")).toHaveText("Not allowed");
  const rows = page.getByTestId("history").locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText("Withdrawn");
  await expect(rows.nth(1)).toContainText("Allowed");

  const download = page.waitForEvent("download");
  await rows.first().getByRole("link").click();
  const file = await download;
  const receipt = JSON.parse(
    await (await file.createReadStream()).toArray().then((c) => Buffer.concat(c).toString("utf8")),
  );
  expect(receipt.event.type).toBe("withdrawn");
  expect(receipt.purposes[0].purpose).toBe("recognition");
  expect(receipt.pii_controllers[0].name).toBe("Veil Demo Retail Ltd.");
  expect(receipt.proof.chain_verified).toBe(true);

  // Works at 360 px: nothing overflows sideways.
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
});

test.describe("Chinese", () => {
  test.use({ locale: "zh-CN", extraHTTPHeaders: { "Accept-Language": "zh-CN,zh;q=0.9" } });

  test("中文：通过邮件链接登录，允许并撤回识别，并在记录中看到", async ({ page, mailbox }) => {
    const email = newEmail("zh");
    await page.goto("/s/demo");
    await expect(page.getByRole("heading", { level: 1 })).toContainText("摄像头与人脸信息告知书");
    await page.getByRole("link", { name: "管理我的选择" }).click();
    const link = await signInByMail(page, mailbox, email, /给我发送登录链接/);
    await expect(page.getByRole("heading", { name: "请查收邮件" })).toBeVisible();
    await page.goto(link);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("您在 Veil Demo Store 的选择");

    await page.getByTestId("toggle-recognition").click();
    await expect(page.getByRole("status")).toHaveText("已保存：已允许“识别我”。");
    await expect(page.getByTestId("status-recognition")).toHaveText("已允许");
    await page.getByTestId("toggle-recognition").click();
    await expect(page.getByRole("status")).toHaveText("已保存：已撤回“识别我”。");
    const rows = page.getByTestId("history").locator("tbody tr");
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText("已撤回");
    await expect(rows.nth(1)).toContainText("已允许");
  });

  test("中文：在 360 px 手机上，记录表中的状态词（已允许、已撤回）不会被拆成两行", async ({ page, loginAs }) => {
    await loginAs("SHOPPER");
    await page.goto("/s/demo/consent");
    await page.getByTestId("toggle-recognition").click();
    await expect(page.getByTestId("status-recognition")).toHaveText("已允许");
    await page.getByTestId("toggle-recognition").click();
    await expect(page.getByTestId("status-recognition")).not.toHaveText("已允许");
    const cells = page.getByTestId("history").locator("tbody tr td:nth-child(3)");
    await expect(cells).toHaveText(["已撤回", "已允许"]);
    expect(page.viewportSize()!.width).toBe(360);
    // One line box per word: the rectangles of the cell's text share a single top.
    const lines = await cells.evaluateAll((tds) =>
      tds.map((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      }),
    );
    expect(lines).toEqual([1, 1]);
  });
});

test("the language switch changes the notice and is remembered", async ({ page }) => {
  await page.goto("/s/demo");
  await page.getByRole("link", { name: "Français" }).click();
  await expect(page).toHaveURL(/\/s\/demo$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("information sur les caméras");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Une analyse des visages à laquelle on peut dire non",
  );
});

test("demographics cannot be allowed before recognition, with a clear message", async ({ page, mailbox }) => {
  const email = newEmail("dep");
  await page.goto("/signin?callbackUrl=/s/demo/consent");
  const link = await signInByMail(page, mailbox, email, /send me a sign-in link/i);
  await page.goto(link);
  await page.getByTestId("toggle-demographics").click();
  await expect(page.locator("#p-demographics [role=alert]")).toContainText("Allow “Recognise me” first");
  await expect(page.getByTestId("status-demographics")).toHaveText("Not allowed");
  await expect(page.getByText("No choices recorded yet.")).toBeVisible();
});

test("a second shopper cannot read the first one's receipt by changing the id", async ({ browser, page, mailbox }) => {
  const alice = newEmail("alice");
  await page.goto("/signin?callbackUrl=/s/demo/consent");
  await page.goto(await signInByMail(page, mailbox, alice, /send me a sign-in link/i));
  await page.getByTestId("toggle-recognition").click();
  await expect(page.getByTestId("status-recognition")).toHaveText("Allowed");
  const receiptUrl = await page
    .getByTestId("history")
    .locator("tbody tr")
    .first()
    .getByRole("link")
    .getAttribute("href");
  expect(receiptUrl).toMatch(/^\/api\/consent-receipts\/\d+$/);
  expect((await page.request.get(receiptUrl!)).status()).toBe(200);
  // A click on the link downloads the receipt and the page stays.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("history").locator("tbody tr").first().getByRole("link").click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^consent-receipt-\d+\.json$/);

  const bobContext = await browser.newContext();
  const bob = await bobContext.newPage();
  await bob.goto("/signin?callbackUrl=/s/demo/consent");
  await bob.goto(await signInByMail(bob, mailbox, newEmail("bob"), /send me a sign-in link/i));
  await expect(bob.getByText("No choices recorded yet.")).toBeVisible();
  const res = await bob.request.get(receiptUrl!);
  expect(res.status()).toBe(404);
  expect(await res.json()).toMatchObject({ error: "not_found" });
  // Neighbouring ids are no better.
  const id = Number(receiptUrl!.split("/").pop());
  for (const other of [id - 1, id + 1])
    expect((await bob.request.get(`/api/consent-receipts/${other}`)).status()).toBe(404);
  // Signed out: 401, never the receipt.
  expect((await (await browser.newContext()).request.get(new URL(receiptUrl!, page.url()).toString())).status()).toBe(
    401,
  );
  // In a browser, Alice's receipt, a neighbour and a junk id all bring Bob to the same translated
  // message in the consents card of My data, not raw JSON; signed out, a browser is sent to sign in
  // and back to the receipt.
  const seen = new Set<string>();
  for (const other of [receiptUrl!, `/api/consent-receipts/${id + 1}`, "/api/consent-receipts/not-a-receipt"]) {
    await bob.goto(other);
    await expect(bob).toHaveURL(/\/me\?error=receipt_unavailable#consents$/);
    const alert = bob.locator("#consents").getByRole("alert");
    await expect(alert).toHaveText(messages("en").errors.receipt_unavailable);
    await expect(bob.locator("main").getByRole("alert")).toHaveCount(1);
    seen.add(bob.url());
  }
  expect(seen.size).toBe(1);
  const out = await (await browser.newContext()).newPage();
  await out.goto(receiptUrl!.replace(/^/, new URL(page.url()).origin));
  await expect(out).toHaveURL(new RegExp(`/signin\\?callbackUrl=${encodeURIComponent(receiptUrl!)}$`));
  await bobContext.close();
});

test("a reused sign-in link shows a clear message", async ({ page, mailbox, browser }) => {
  const email = newEmail("reuse");
  await page.goto("/signin?callbackUrl=/s/demo/consent");
  const link = await signInByMail(page, mailbox, email, /send me a sign-in link/i);
  await page.goto(link);
  await expect(page).toHaveURL(/\/s\/demo\/consent/);
  const other = await (await browser.newContext()).newPage();
  await other.goto(link);
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("This sign-in link no longer works");
  await expect(other.locator("main [role=alert]")).toContainText("already used or has expired");
  await other.getByRole("link", { name: "Send me a new link" }).click();
  await expect(other).toHaveURL(/\/signin$/);
});

test("an expired sign-in link shows a clear message", async ({ page, mailbox, testDb }) => {
  const email = newEmail("expired");
  await page.goto("/signin?callbackUrl=/s/demo/consent");
  const link = await signInByMail(page, mailbox, email, /send me a sign-in link/i);
  await testDb.verificationToken.updateMany({
    where: { identifier: email },
    data: { expires: new Date(Date.now() - 1000) },
  });
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This sign-in link no longer works");
  await expect(page.getByTestId("status-recognition")).toHaveCount(0);
});

test("a long consent history comes 20 to a page, with the total and links to older and newer choices", async ({
  page,
  loginAs,
}) => {
  const shopper = await loginAs("SHOPPER");
  const cmd = { userId: shopper.id, storeSlug: "demo", purpose: "recognition", noticeVersion: 1 };
  await changeMindOften(cmd, 12, true);
  await page.goto("/s/demo/consent");
  const rows = page.getByTestId("history").locator("tbody tr");
  await expect(page.getByTestId("history-count")).toHaveText("25 choices recorded.");
  await expect(rows).toHaveCount(20);
  await expect(rows.first()).toContainText("Allowed");
  const pages = page.getByRole("navigation", { name: "Pages of your history" });
  await expect(pages).toContainText("Page 1 of 2");
  await expect(pages.getByRole("link", { name: "Newer choices" })).toHaveCount(0);
  await pages.getByRole("link", { name: "Older choices" }).click();
  await expect(page).toHaveURL(/\?history=2#history-h$/);
  await expect(rows).toHaveCount(5);
  await expect(pages).toContainText("Page 2 of 2");
  await expect(pages.getByRole("link", { name: "Older choices" })).toHaveCount(0);
  await pages.getByRole("link", { name: "Newer choices" }).click();
  await expect(rows).toHaveCount(20);
  // An old link past the end shows the last page; junk is page 1, never an error.
  await page.goto("/s/demo/consent?history=999");
  await expect(page).toHaveURL(/\?history=2#history-h$/);
  await expect(rows).toHaveCount(5);
  expect((await page.goto("/s/demo/consent?history=-1&history=2"))?.status()).toBe(200);
  await expect(rows).toHaveCount(20);
});
