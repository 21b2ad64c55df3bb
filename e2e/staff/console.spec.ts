import { expect, test } from "../fixtures/test.ts";

test.describe("support console", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("dashboard, consent CSV, failed jobs and the audit chain check are there for support", async ({
    page,
    loginAs,
    request,
  }) => {
    await loginAs("SUPPORT");
    await page.goto("/staff");
    await expect(page.getByTestId("audit-chain")).toContainText("Audit chain intact");
    await page.getByRole("link", { name: "Dashboard" }).click();
    await expect(page.getByTestId("consent-rates")).toBeVisible();
    await expect(page.getByTestId("on-time")).toContainText("Answered on time");
    const csv = await page.request.get("/api/staff/consents.csv?store=demo");
    expect(csv.status()).toBe(200);
    expect((await csv.text()).split("\n")[0]).toBe(
      "event_id,subject_id,store_id,purpose,action,notice_version,channel,occurred_at,hash,previous_hash",
    );
    expect((await page.request.get("/api/staff/consents.csv?from=yesterday")).status()).toBe(400);
    await page.getByRole("link", { name: "Jobs" }).click();
    await expect(page.getByRole("heading", { name: "Failed jobs" })).toBeVisible();
    await expect(page.getByTestId("queues")).toContainText("frames");
    // Signed out: no CSV.
    expect((await request.get("/api/staff/consents.csv")).status()).toBe(401);
  });

  test("the records of processing and retention schedule are public", async ({ page }) => {
    await page.goto("/s/demo/records");
    await expect(page.getByTestId("records")).toContainText("Recognition of enrolled shoppers");
    await expect(page.getByTestId("records")).toContainText("30 days");
  });
});

test("the app has a favicon, not a 404", async ({ page, request }) => {
  const ico = await request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  expect(ico.headers()["content-type"]).toContain("image/");
  await page.goto("/");
  await expect(page.locator('head link[rel="icon"]').first()).toHaveAttribute("href", /icon|favicon/);
});
