import { expect, signInStaff, test } from "../fixtures/test.ts";

test.describe("staff sign-in", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("support signs in with a password and sees the audit trail", async ({ page, staff }) => {
    await signInStaff(page, await staff("SUPPORT"));
    await expect(page.getByRole("heading", { name: "Staff console" })).toBeVisible();
    await expect(page.getByTestId("audit")).toBeVisible();
  });

  test("a wrong password gives one generic message and no session", async ({ page, staff }) => {
    const support = await staff("SUPPORT");
    await page.goto("/staff/signin");
    await page.getByLabel("E-mail").fill(support.email);
    await page.getByLabel("Password").fill(`${support.password}x`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("main [role=alert]")).toHaveText("E-mail or password is not correct.");
    await page.goto("/staff");
    await expect(page).toHaveURL(/\/staff\/signin$/);
  });
});
