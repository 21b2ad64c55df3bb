// Check-in needs the entrance display's presence token (invariant 10), tried over HTTP against the
// running app the way a shopper outside the store would: no token, a made-up one, another store's,
// an expired one, each at the page and at the check-in action itself. None leaves a check-in.
import { expect, signInShopper, test, type Page } from "../fixtures/test.ts";
import { grantConsent } from "../../lib/consent/grant-consent.ts";
import { presenceWindow, signPresenceToken } from "../../lib/presence/presence-token.ts";
import { makeStore } from "../../tests/fixtures.ts";
import { presenceUrl } from "../../tests/presence.ts";

const TEXT = {
  invalid: "This check-in code is not valid. Scan the QR code on the store's entrance display again.",
  wrongStore: "This check-in code belongs to another store. Scan the entrance display of the store you are in.",
  expired: "This check-in code has expired: the display shows a new one every 30 seconds. Scan it again.",
};

/** Opens the check-in page with a genuine token, then changes the token the form will send. */
async function submitWithToken(page: Page, token: string | null) {
  await page.goto(await presenceUrl("demo"));
  await expect(page.getByTestId("here-check-in")).toBeVisible();
  await page
    .locator('input[name="t"]')
    .evaluate((el, t) => (t === null ? el.remove() : ((el as HTMLInputElement).value = t)), token);
  await page.getByTestId("here-check-in").click();
}

test("check-in without a current presence token of this store is refused and changes nothing", async ({
  page,
  loginAs,
  testDb,
}) => {
  const shopper = await loginAs("SHOPPER");
  await grantConsent({ userId: shopper.id, storeSlug: "demo", purpose: "recognition", noticeVersion: 1 });
  const storeId = (await testDb.store.findUniqueOrThrow({ where: { slug: "demo" } })).id;
  const other = await makeStore();
  const w = presenceWindow();
  const tokens = {
    forged: `p1.${storeId}.${w}.${Buffer.alloc(32, 1).toString("base64url")}`,
    wrongStore: signPresenceToken(other.id, w),
    expired: signPresenceToken(storeId, w - 2),
  };

  // The consent page no longer checks anyone in: it only says to scan the display.
  await page.goto("/s/demo/consent");
  await expect(page.getByTestId("presence-scan")).toBeVisible();
  await expect(page.getByTestId("presence-toggle")).toHaveCount(0);

  // The page itself says at once that a token is no good, and offers no button.
  for (const [t, text] of [
    ["", TEXT.invalid],
    ["garbage", TEXT.invalid],
    [tokens.forged, TEXT.invalid],
    [tokens.wrongStore, TEXT.wrongStore],
    [tokens.expired, TEXT.expired],
  ] as const) {
    await page.goto(`/s/demo/here?t=${encodeURIComponent(t)}`);
    await expect(page.getByTestId("here-error")).toHaveText(text);
    await expect(page.getByTestId("here-check-in")).toHaveCount(0);
  }

  // The action checks again: a genuine page whose form is made to send a bad token, or none.
  for (const [t, text] of [
    [tokens.forged, TEXT.invalid],
    [tokens.wrongStore, TEXT.wrongStore],
    [tokens.expired, TEXT.expired],
    [null, TEXT.invalid],
  ] as const) {
    await submitWithToken(page, t);
    await expect(page.getByTestId("here-error")).toHaveText(text);
  }
  expect(await testDb.checkIn.count({ where: { userId: shopper.id } })).toBe(0);

  // The genuine token checks in, once.
  await page.goto(await presenceUrl("demo"));
  await page.getByTestId("here-check-in").click();
  await expect(page).toHaveURL(/\/s\/demo\/consent\?saved=checkin/);
  await expect(page.getByTestId("presence-status")).toContainText(/Checked in until \d\d:\d\d(\s[AP]M)?\sGMT\+[12]\./);
  expect(await testDb.checkIn.count({ where: { userId: shopper.id } })).toBe(1);
});

test("a signed-out shopper who scans the display signs in first and comes back to the check-in page", async ({
  page,
  mailbox,
}) => {
  const url = await presenceUrl("demo");
  await page.goto(url);
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await signInShopper(page, mailbox, "scan", url);
  await expect(page).toHaveURL(/\/s\/demo\/here\?t=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Check in at Veil Demo Store");
});
