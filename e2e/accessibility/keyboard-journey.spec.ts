import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "../fixtures/test.ts";
import type { Locator } from "@playwright/test";

// One whole shopper journey with the keyboard only (WCAG 2.1.1): no click, no fill, no mouse.
// Focus moves with Tab, text is typed into the focused field, controls are worked with Enter and
// Space. Opening the e-mailed link is the one step outside the page, as it is for the shopper.

const MAX_TABS = 60;

/** Presses Tab until the locator holds focus; fails if it is not reachable by keyboard. */
async function tabTo(page: Page, target: Locator) {
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
  }
  throw new Error(`not reachable with Tab: ${target}`);
}

test("keyboard only: notice, sign-in by e-mail, allow and withdraw both purposes, sign out", async ({
  page,
  mailbox,
}) => {
  const email = `kbd-${randomUUID().slice(0, 8)}@shopper.test`;
  await page.goto("/s/demo");

  await tabTo(page, page.getByRole("link", { name: "Manage my choices" }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);

  await tabTo(page, page.getByRole("textbox"));
  await page.keyboard.type(email);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
  const mail = await mailbox.waitForMail(email, { timeoutMs: 15_000 });
  await page.goto(mail.links.find((l) => l.includes("/api/auth/callback/email"))!);
  await expect(page).toHaveURL(/\/s\/demo\/consent/);

  await tabTo(page, page.getByTestId("toggle-recognition"));
  await page.keyboard.press("Space");
  await expect(page.getByTestId("status-recognition")).toHaveText("Allowed");
  await expect(page.locator("#p-recognition").getByRole("status")).toHaveText("Saved: “Recognise me” is allowed.");

  await tabTo(page, page.getByTestId("toggle-demographics"));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("status-demographics")).toHaveText("Allowed");

  // Withdrawing recognition withdraws what depends on it too.
  await tabTo(page, page.getByTestId("toggle-recognition"));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("status-recognition")).toHaveText("Not allowed");
  await expect(page.getByTestId("status-demographics")).toHaveText("Not allowed");

  await tabTo(page, page.getByRole("button", { name: "Sign out" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
  await page.goto("/me");
  await expect(page).toHaveURL(/\/signin/);
});
