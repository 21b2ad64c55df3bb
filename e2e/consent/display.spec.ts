// The in-store check-in through the entrance display: an admin pairs a display in the console, the
// tablet shows the rotating presence QR code, a signed-in shopper opens what it encodes and checks in
// with one tap. A revoked display, or a browser that was never paired, shows no code.
import { expect, test } from "../fixtures/test.ts";
import { grantConsent } from "../../lib/consent/grant-consent.ts";

test("a paired display shows the presence QR code; a shopper who opens it is checked in; a revoked display shows none", async ({
  page,
  browser,
  loginAs,
  testDb,
}) => {
  test.setTimeout(120_000);
  await loginAs("ADMIN");
  await page.goto("/staff/displays");
  await page.getByLabel("Store").selectOption({ label: "Veil Demo Store" });
  await page.getByLabel("Name").fill("Front door");
  await page.getByRole("button", { name: "Pair a new device" }).click();
  const pairingUrl = (await page.getByTestId("pairing-link").locator("code").textContent())!;
  expect(pairingUrl).toMatch(/\/s\/demo\/display\/pair\?code=[A-Za-z0-9_-]{43}$/);

  // A browser that was never paired gets no code.
  const tablet = await (await browser.newContext()).newPage();
  await tablet.goto("/s/demo/display");
  await expect(tablet.getByTestId("display-refused")).toBeVisible();
  await expect(tablet.getByTestId("presence-qr")).toHaveCount(0);

  await tablet.goto(pairingUrl);
  await tablet.getByTestId("pair-display").click();
  await expect(tablet).toHaveURL(/\/s\/demo\/display$/);
  const qr = tablet.getByTestId("presence-qr");
  await expect(qr.locator("svg")).toBeVisible();
  const cookie = (await tablet.context().cookies()).find((c) => c.name === "veil_display")!;
  expect(cookie).toMatchObject({ httpOnly: true, path: "/s/demo/display" });
  // The one-time link does not pair a second device.
  const other = await (await browser.newContext()).newPage();
  await other.goto(pairingUrl);
  await other.getByTestId("pair-display").click();
  await expect(other.getByTestId("pair-error")).toHaveText(
    "This pairing link does not work: it was already used, has expired, or the display was revoked. Create a new one in the staff console.",
  );

  const url = (await qr.getAttribute("data-url"))!;
  expect(url).toMatch(/\/s\/demo\/here\?t=p1\./);
  expect(await tablet.getByTestId("presence-link").getAttribute("href")).toBe(url);

  // The shopper scans it (the test reads the code's URL) and checks in with one tap.
  const shopper = await loginAs("SHOPPER");
  await grantConsent({ userId: shopper.id, storeSlug: "demo", purpose: "recognition", noticeVersion: 1 });
  await page.goto(url);
  await page.getByTestId("here-check-in").click();
  await expect(page.getByTestId("presence-status")).toContainText("Checked in until");
  expect(await testDb.checkIn.count({ where: { userId: shopper.id, endedAt: null } })).toBe(1);

  // The code turns with the window, without a reload of the page.
  await tablet.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  await expect(qr).not.toHaveAttribute("data-url", url, { timeout: 45_000 });
  expect(await tablet.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

  // Revoked in the console: the display shows no code any more.
  await loginAs("ADMIN");
  await page.goto("/staff/displays");
  await page.getByRole("button", { name: "Revoke: Front door" }).first().click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await tablet.reload();
  await expect(tablet.getByTestId("display-refused")).toHaveText(
    "This screen is not a paired entrance display of this store, or its pairing was revoked. An administrator can pair it in the staff console.",
  );
  await expect(tablet.getByTestId("presence-qr")).toHaveCount(0);
});

test("administrators download the printed sign per language; support staff and shoppers cannot", async ({
  page,
  loginAs,
}) => {
  await loginAs("ADMIN");
  await page.goto("/staff/displays");
  for (const locale of ["en", "zh-CN", "fr"]) {
    const href = (await page.getByTestId(`sign-demo-${locale}`).getAttribute("href"))!;
    const res = await page.request.get(href);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toContain("image/svg+xml");
    const svg = await res.text();
    expect(svg).toContain('viewBox="0 0 210 297"');
    expect(svg).toContain(`lang="${locale}"`);
  }
  for (const role of ["SUPPORT", "SHOPPER"] as const) {
    await loginAs(role);
    expect((await page.request.get("/api/staff/signs/demo?locale=en")).status()).toBe(403);
  }
});
