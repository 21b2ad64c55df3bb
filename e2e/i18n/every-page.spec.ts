// Every page in Chinese and in French, as each kind of visitor sees it: nothing may be left in
// English but names (stores, controllers, cameras, the product), addresses, links and codes.
// Each page is also titled by what it shows, in the page's language (WCAG 2.4.2).
import { test, expect, type Page } from "../fixtures/test.ts";
import { LOCALE_COOKIE, LOCALE_NAMES, type Locale } from "../../lib/i18n/locales.ts";
import { messages } from "../../lib/i18n/messages.ts";
import type { db } from "../../lib/db.ts";
import { submitRequest } from "../../lib/requests/submit-request.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { totpCode } from "../../lib/auth/totp.ts";
import { englishDictionary, englishLeft } from "../../tests/english-left.ts";
import { checkInWithToken, presenceUrl } from "../../tests/presence.ts";
import { pairedDeviceCookie, pairedDisplayCookie } from "../../tests/paired-display.ts";

const PUBLIC = [
  "/",
  "/s/demo",
  "/s/demo/records",
  "/s/demo/display",
  "/s/demo/display/pair?code=abc",
  "/s/demo/display/pair?error=pairing_invalid",
  "/s/demo/kiosk",
  "/s/demo/kiosk/pair?code=abc",
  "/s/demo/kiosk/pair?error=pairing_invalid",
  "/signin",
  "/signin?error=invalid_email",
  "/signin?error=rate_limited",
  "/signin?error=other",
  "/signin/check",
  "/auth/error",
  "/auth/error?error=Verification",
  "/no-such-page",
  "/s/no-such-store",
  "/staff/signin",
  "/staff/signin?error=1",
  "/staff/signin?error=locked",
  "/staff/signin?saved=setup",
  "/staff/setup",
  "/staff/setup?email=new%40staff.test&token=abc",
  "/staff/setup?email=new%40staff.test&token=abc&error=short",
];
const SHOPPER = [
  "/s/demo/here?t=made-up",
  "/s/demo/here?t=&error=presence_token_expired",
  "/s/demo/consent",
  "/s/demo/consent?saved=grant",
  "/s/demo/consent?error=stale_notice",
  "/me",
  "/me?saved=submitted",
  "/me?error=conflict",
  "/me/erase",
  "/staff",
];
const STAFF = [
  "/staff",
  "/staff/requests",
  "/staff/requests?status=COOLING_OFF",
  "/staff/requests?kind=ACCESS&status=REJECTED",
  "/staff/dashboard",
  "/staff/jobs",
  "/staff/jobs?saved=2",
  "/staff/cameras",
  "/staff/stores",
  "/staff/stores?saved=1",
  "/staff/stores?error=conflict",
  "/staff/displays",
  "/staff/displays?saved=1",
];

/** Names that stay as they are in every language, read from the data the pages show. */
async function allowedNames(testDb: ReturnType<typeof db>): Promise<string[]> {
  const [stores, cameras, devices] = await Promise.all([
    testDb.store.findMany({
      select: { name: true, controllerName: true, controllerContact: true, complaintAuthority: true },
    }),
    testDb.camera.findMany({ select: { name: true } }),
    testDb.storeDevice.findMany({ select: { name: true } }),
  ]);
  return [
    ...stores.flatMap((s) => [s.name, s.controllerName, s.controllerContact, s.complaintAuthority ?? ""]),
    ...cameras.map((c) => c.name),
    ...devices.map((d) => d.name),
    "Veil",
    ...Object.values(LOCALE_NAMES),
  ];
}

/**
 * What a reader meets on the page: its rendered text (document.body.innerText), the choices of its
 * menus, the accessible names given by aria-label, and its title. Contents of <code> and <pre> are
 * machine data (ids, codes, a receipt's JSON) and are left out.
 */
async function readerText(page: Page): Promise<{ title: string; text: string }> {
  return page.evaluate(() => {
    for (const el of document.querySelectorAll("code, pre")) el.textContent = "";
    const extra = [...document.querySelectorAll("option, [aria-label]")].map(
      (el) => (el.tagName === "OPTION" ? el.textContent : el.getAttribute("aria-label")) ?? "",
    );
    return { title: document.title, text: [document.title, document.body.innerText, ...extra].join("\n") };
  });
}

async function expectNoEnglish(page: Page, locale: Locale, paths: string[], names: string[]) {
  const dictionary = englishDictionary(locale);
  const m = messages(locale);
  const found: Record<string, string[]> = {};
  const titles: Record<string, string> = {};
  for (const path of paths) {
    await page.goto(path);
    await expect(page.locator("html")).toHaveAttribute("lang", locale);
    const { title, text } = await readerText(page);
    titles[path] = title;
    const left = englishLeft(text, dictionary, names);
    if (left.length) found[path] = left;
  }
  expect(found, `English left on ${locale} pages`).toEqual({});
  // Titled by what the page shows: more than the bare product name, and in the product's pattern.
  const bare = Object.entries(titles).filter(([, t]) => t === m.appName || !t.endsWith(m.meta.title("")));
  expect(bare, "pages without a title of their own").toEqual([]);
}

for (const locale of ["zh-CN", "fr"] as const) {
  test.describe(`every page in ${locale}`, () => {
    test.beforeEach(async ({ context, baseURL }) => {
      await context.addCookies([{ name: LOCALE_COOKIE, value: locale, url: baseURL! }]);
    });

    test("the dictionary of English words is not trivially small", () => {
      expect(englishDictionary(locale).size).toBeGreaterThan(300);
    });

    test("public notice, sign-in and error pages", async ({ page, testDb }) => {
      await expectNoEnglish(page, locale, PUBLIC, await allowedNames(testDb));
    });

    test("a signed-in shopper's pages, with a choice made and a request open", async ({
      page,
      testDb,
      loginAs,
      context,
      baseURL,
    }) => {
      const shopper = await loginAs("SHOPPER");
      await context.addCookies([
        await pairedDisplayCookie("demo", baseURL!),
        (await pairedDeviceCookie("demo", baseURL!, "KIOSK")).cookie,
      ]);
      await page.goto("/s/demo/consent");
      await page.getByTestId("toggle-recognition").click();
      await expect(page.getByTestId("status-recognition")).toHaveText(messages(locale).consent.status.granted);
      await submitRequest({ userId: shopper.id, storeSlug: "demo", kind: "ERASURE" });
      // The paired entrance display and the check-in page its code opens; the paired kiosk.
      await expectNoEnglish(
        page,
        locale,
        [...SHOPPER, "/s/demo/display", await presenceUrl("demo"), "/s/demo/kiosk"],
        await allowedNames(testDb),
      );
      // Checked in, the consent page offers the kiosk code; asked for, it shows the code and waits.
      await checkInWithToken({ userId: shopper.id, storeSlug: "demo" });
      await page.goto("/s/demo/consent");
      await page.getByTestId("kiosk-enrol").click();
      await expect(page.getByTestId("kiosk-code")).toHaveText(/^\d{6}$/);
      const { text } = await readerText(page);
      expect(englishLeft(text, englishDictionary(locale), await allowedNames(testDb)), "English left").toEqual([]);
    });

    test("an administrator's second step: enrolment, its recovery codes, and the code page", async ({
      page,
      testDb,
      loginAs,
    }) => {
      const names = await allowedNames(testDb);
      await loginAs("ADMIN", { secondFactor: "not-enrolled" });
      await expectNoEnglish(page, locale, ["/staff/two-factor"], names);
      const T = messages(locale).staff.twoFactor;
      // readerText emptied the page's <code> elements: load it again (the same pending secret).
      await page.goto("/staff/two-factor");
      const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
      await page.getByLabel(T.code).fill(await totpCode(secret));
      await page.getByRole("button", { name: T.confirm }).click();
      await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
      const { text } = await readerText(page);
      expect(englishLeft(text, englishDictionary(locale), names), "English left on the recovery codes").toEqual([]);
      await loginAs("ADMIN", { secondFactor: "pending" });
      await expectNoEnglish(
        page,
        locale,
        ["/staff/two-factor", "/staff/two-factor?error=wrong_code", "/staff/two-factor?error=locked"],
        names,
      );
    });

    for (const role of ["SUPPORT", "ADMIN"] as const) {
      test(`every staff page as ${role.toLowerCase()}, a request among them`, async ({ page, testDb, loginAs }) => {
        const shopper = await loginAs("SHOPPER");
        const request = await submitRequest({ userId: shopper.id, storeSlug: "demo", kind: "ERASURE" });
        const camera = await registerCamera({
          storeSlug: "demo",
          name: `Line ${role} ${locale}`,
          actor: { id: null, role: "SYSTEM" },
        });
        const line = `/staff/cameras/${camera.cameraId}`;
        await loginAs(role);
        await expectNoEnglish(
          page,
          locale,
          [
            ...STAFF,
            "/staff/dashboard?store=demo&from=2026-03-01&to=2026-03-07",
            "/staff/dashboard?store=demo&from=2026-03-07&to=2026-03-01",
            line,
            `${line}?saved=line`,
            `${line}?error=invalid_input`,
            `/staff/requests/${request.id}`,
            `/staff/requests/${request.id}?saved=1`,
            `/staff/requests/${request.id}?error=conflict`,
            `/staff/requests/${request.id}?error=invalid_input&form=reject`,
            `/staff/requests/${request.id}?error=invalid_input&form=extend`,
            `/staff/requests/${request.id}?error=invalid_input&form=note`,
            ...["verify", "approve", "reject", "extend", "assign", "note"].map(
              (form) => `/staff/requests/${request.id}?saved=1&form=${form}`,
            ),
          ],
          await allowedNames(testDb),
        );
      });
    }
  });
}
