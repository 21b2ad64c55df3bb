import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "../fixtures/test.ts";
import { LOCALE_COOKIE } from "../../lib/i18n/locales.ts";
import { submitRequest } from "../../lib/requests/submit-request.ts";
import { grantConsent } from "../../lib/consent/grant-consent.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { checkInWithToken, presenceUrl } from "../../tests/presence.ts";
import { pairedDeviceCookie, pairedDisplayCookie } from "../../tests/paired-display.ts";

// WCAG 2.2 A/AA, checked by axe-core (the engine Lighthouse and most audits use) on every page in
// each language: shopper pages at the 360 px phone viewport shoppers use, staff pages at a desktop
// size. A serious or critical violation fails; lesser ones are printed so they are seen.
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const LOCALES = ["zh-CN", "en", "fr"] as const;

async function audit(page: Page, path: string): Promise<string[]> {
  const res = await page.goto(path);
  expect(res?.status(), path).toBeLessThan(500);
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  for (const v of violations.filter((v) => v.impact !== "serious" && v.impact !== "critical"))
    console.log(`axe (${v.impact}) ${path}: ${v.id} ${v.help}`);
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${path}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 3)
          .join(", ")}`,
    );
}

for (const locale of LOCALES) {
  test.describe(`in ${locale}`, () => {
    // A dozen pages each, the first ones compiled on first request: a budget for a loaded machine,
    // not a speed check.
    test.describe.configure({ timeout: 180_000 });
    test.beforeEach(async ({ context, baseURL }) => {
      await context.addCookies([{ name: LOCALE_COOKIE, value: locale, url: baseURL! }]);
    });

    test("shopper pages have no serious or critical WCAG 2.2 AA violation at 360 px", async ({
      page,
      loginAs,
      context,
      baseURL,
    }) => {
      const found: string[] = [];
      for (const path of [
        "/",
        "/s/demo",
        "/s/demo/records",
        "/signin",
        "/signin/check",
        "/auth/error?error=Verification",
        "/s/demo/display",
        "/s/demo/display/pair?code=abc",
        "/s/demo/kiosk",
        "/s/demo/kiosk/pair?code=abc",
      ])
        found.push(...(await audit(page, path)));
      const shopper = await loginAs("SHOPPER");
      await submitRequest({ userId: shopper.id, storeSlug: "demo", kind: "ACCESS" });
      await grantConsent({ userId: shopper.id, storeSlug: "demo", purpose: "recognition", noticeVersion: 1 });
      await context.addCookies([
        await pairedDisplayCookie("demo", baseURL!),
        (await pairedDeviceCookie("demo", baseURL!, "KIOSK")).cookie,
      ]);
      await checkInWithToken({ userId: shopper.id, storeSlug: "demo" });
      for (const path of [
        "/s/demo/consent",
        "/me",
        "/me/erase",
        await presenceUrl("demo"),
        "/s/demo/here?t=made-up",
        "/s/demo/display",
        "/s/demo/kiosk",
      ])
        found.push(...(await audit(page, path)));
      expect(found).toEqual([]);
    });

    test("staff pages have no serious or critical WCAG 2.2 AA violation at desktop size", async ({
      page,
      loginAs,
      testDb,
    }) => {
      await page.setViewportSize({ width: 1280, height: 800 });
      const found: string[] = [];
      for (const path of ["/staff/signin", "/staff/signin?error=1", "/staff/setup?token=unknown"])
        found.push(...(await audit(page, path)));
      const shopper = await testDb.user.create({
        data: { email: `axe-${Date.now()}-${locale}@shopper.test`, emailVerified: new Date() },
      });
      const request = await submitRequest({ userId: shopper.id, storeSlug: "demo", kind: "ERASURE" });
      await loginAs("ADMIN", { secondFactor: "not-enrolled" });
      found.push(...(await audit(page, "/staff/two-factor")));
      await loginAs("ADMIN", { secondFactor: "pending" });
      for (const path of ["/staff/two-factor", "/staff/two-factor?error=wrong_code"])
        found.push(...(await audit(page, path)));
      const camera = await registerCamera({
        storeSlug: "demo",
        name: `Axe ${locale}`,
        actor: { id: null, role: "SYSTEM" },
      });
      await loginAs("ADMIN");
      for (const path of [
        `/staff/cameras/${camera.cameraId}`,
        "/staff/dashboard?store=demo&from=2026-03-01&to=2026-03-07",
        "/staff",
        "/staff/requests",
        `/staff/requests/${request.id}`,
        "/staff/stores",
        "/staff/cameras",
        "/staff/dashboard",
        "/staff/jobs",
        "/staff/displays",
      ])
        found.push(...(await audit(page, path)));
      expect(found).toEqual([]);
    });
  });
}
