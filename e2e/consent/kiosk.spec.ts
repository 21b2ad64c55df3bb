// Enrolment bound to a person standing in the store (issue 11 item 2, invariant 10): an admin
// pairs a kiosk in the console; the shopper checks in at the entrance display, asks for a kiosk
// code on their phone and types it at the kiosk, whose camera (Chromium's fake camera, fed from
// photos of one person) takes the burst; the phone shows the outcome live, and a store camera then
// recognises them. Codes work once, at their own store's paired kiosks only.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { expect, test, type Page } from "../fixtures/test.ts";
import { facesDir } from "../../tests/faces.ts";
import { makeStore } from "../../tests/fixtures.ts";
import { checkInWithToken } from "../../tests/presence.ts";
import { pairedDeviceCookie } from "../../tests/paired-display.ts";
import { burstOf } from "../../tests/kiosk.ts";
import { sendFrame } from "../../tests/send-frame.ts";
import { grantConsent } from "../../lib/consent/grant-consent.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { issueKioskCode } from "../../lib/kiosk/issue-kiosk-code.ts";

const VERIFICATION = path.join(facesDir(), "verification");
// The kiosk's camera: Chromium plays this MJPEG file as its webcam (written before the first
// capture; Chromium opens it when the page asks for the camera).
const CAMERA_FILE = path.resolve("test-results", "kiosk-camera.mjpeg");

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
      `--use-file-for-fake-video-capture=${CAMERA_FILE}`,
    ],
  },
});

const TEXT = {
  enrolled: "Done: you are enrolled. You can delete your template at any time.",
  sent: "Photos taken. Look at your phone for the result.",
  invalid: "This code does not work here. Check the 6 digits on your phone, or ask for a new code there.",
  expired: "This code has expired: codes work for 2 minutes. Ask for a new one on your phone.",
  notPaired:
    "This screen is not a paired enrolment kiosk of this store, or its pairing was revoked. An administrator can pair it in the staff console.",
};

test.beforeAll(async () => {
  // Three photos of one person, each held for half a second (at the fake camera's 30 fps).
  const dir = path.join(VERIFICATION, "deepface_id08");
  const frames: Buffer[] = [];
  for (const f of readdirSync(dir).sort().slice(0, 3)) {
    const jpeg = await sharp(readFileSync(path.join(dir, f)))
      .resize(640, 480, { fit: "contain", background: "#808080" })
      .jpeg({ quality: 90 })
      .toBuffer();
    for (let i = 0; i < 15; i++) frames.push(jpeg);
  }
  mkdirSync(path.dirname(CAMERA_FILE), { recursive: true });
  writeFileSync(CAMERA_FILE, Buffer.concat(frames));
});

/** A phone of a signed-in shopper with recognition allowed and checked in at the store. */
async function checkedInPhone(page: Page, loginAs: (r: "SHOPPER") => Promise<{ id: string }>, slug: string) {
  const shopper = await loginAs("SHOPPER");
  await grantConsent({ userId: shopper.id, storeSlug: slug, purpose: "recognition", noticeVersion: 1 });
  await checkInWithToken({ userId: shopper.id, storeSlug: slug });
  await page.goto(`/s/${slug}/consent`);
  return shopper;
}

/** The kiosk posting a burst as the kiosk device (its cookie), the way its page does. */
async function postBurst(kiosk: Page, slug: string, code: string, frames: Buffer[]) {
  const form = new FormData();
  form.set("code", code);
  frames.forEach((f, i) => form.append("frame", new Blob([new Uint8Array(f)], { type: "image/jpeg" }), `f${i}.jpg`));
  return kiosk.request.post(`/s/${slug}/kiosk/burst`, {
    multipart: form,
    headers: { origin: new URL(kiosk.url()).origin },
  });
}

test("in the store: display, check-in, kiosk code, kiosk burst, enrolled on the phone, then recognised by a camera", async ({
  page,
  browser,
  loginAs,
  testDb,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const store = await makeStore();

  // An administrator pairs the kiosk from the console.
  await loginAs("ADMIN");
  await page.goto("/staff/displays");
  await page.getByLabel("Store").selectOption({ label: store.name });
  await page.getByLabel("Name").fill("Kiosk by the till");
  await page.getByLabel("Kind").selectOption("KIOSK");
  await page.getByRole("button", { name: "Pair a new device" }).click();
  const pairingUrl = (await page.getByTestId("pairing-link").locator("code").textContent())!;
  expect(pairingUrl).toMatch(new RegExp(`/s/${store.slug}/kiosk/pair\\?code=[A-Za-z0-9_-]{43}$`));
  const kiosk = await (await browser.newContext()).newPage();
  await kiosk.goto(pairingUrl);
  await kiosk.getByTestId("pair-display").click();
  await expect(kiosk).toHaveURL(new RegExp(`/s/${store.slug}/kiosk$`));
  const cookie = (await kiosk.context().cookies()).find((c) => c.name === "veil_kiosk")!;
  expect(cookie).toMatchObject({ httpOnly: true, path: `/s/${store.slug}/kiosk` });

  // The entrance display shows the presence code.
  const tablet = await (await browser.newContext()).newPage();
  await tablet.context().addCookies([await pairedDeviceCookie(store.slug, baseURL!).then((d) => d.cookie)]);
  await tablet.goto(`/s/${store.slug}/display`);
  const presence = (await tablet.getByTestId("presence-qr").getAttribute("data-url"))!;

  // The shopper allows recognition; enrolment waits for a check-in.
  const shopper = await loginAs("SHOPPER");
  await page.goto(`/s/${store.slug}/consent`);
  await page.getByTestId("toggle-recognition").click();
  await expect(page.getByTestId("status-recognition")).toHaveText("Allowed");
  await expect(page.getByTestId("kiosk-needs-check-in")).toBeVisible();
  await expect(page.locator('input[type="file"]')).toHaveCount(0);
  await page.goto(presence);
  await page.getByTestId("here-check-in").click();
  await expect(page.getByTestId("presence-status")).toContainText("Checked in until");

  await page.getByTestId("kiosk-enrol").click();
  const code = (await page.getByTestId("kiosk-code").textContent())!;
  expect(code).toMatch(/^\d{6}$/);
  await expect(page.getByTestId("kiosk-status")).toHaveText("Waiting for the kiosk…");

  // At the kiosk: the code, then about 2 s in front of its camera.
  await kiosk.getByLabel("6-digit code from your phone").fill(code);
  await kiosk.getByTestId("kiosk-start").click();
  await expect(kiosk.getByTestId("kiosk-message")).toHaveText(TEXT.sent, { timeout: 20_000 });

  // The phone shows the outcome by itself.
  await expect(page.getByTestId("kiosk-status")).toHaveText(TEXT.enrolled, { timeout: 60_000 });
  await expect(page.getByTestId("template-status")).toHaveText("Enrolled");
  const template = await testDb.faceTemplate.findUniqueOrThrow({ where: { userId: shopper.id } });
  expect(template.ciphertext!.length).toBe(12 + 16 + 512 * 4);
  const audit = await testDb.auditLog.findFirstOrThrow({ where: { action: "template.submit", storeId: store.id } });
  expect(audit.actorRole).toBe("DEVICE");
  expect((audit.details as { frames: number }).frames).toBeGreaterThanOrEqual(3);

  // A signed frame of another photo of the same person at the entrance camera records a visit.
  const camera = await registerCamera({ storeSlug: store.slug, name: "Entrance", actor: { id: null, role: "SYSTEM" } });
  const probe = await sharp(readFileSync(path.join(VERIFICATION, "deepface_id08", "img37.jpg")))
    .jpeg()
    .toBuffer();
  const frameId = await sendFrame(camera, probe);
  await expect
    .poll(
      () =>
        testDb.visit.count({
          where: { userId: shopper.id, storeId: store.id, recentSightings: { has: `${frameId}:0` } },
        }),
      { timeout: 60_000 },
    )
    .toBe(1);
});

test("a wrong or expired code is refused at the kiosk with a clear message, and enrols nobody", async ({
  page,
  browser,
  loginAs,
  testDb,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const store = await makeStore();
  const kiosk = await (await browser.newContext()).newPage();
  await kiosk.context().addCookies([(await pairedDeviceCookie(store.slug, baseURL!, "KIOSK")).cookie]);
  await kiosk.goto(`/s/${store.slug}/kiosk`);
  const shopper = await checkedInPhone(page, loginAs, store.slug);
  await page.getByTestId("kiosk-enrol").click();
  const code = (await page.getByTestId("kiosk-code").textContent())!;

  const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
  await kiosk.getByLabel("6-digit code from your phone").fill(wrong);
  await kiosk.getByTestId("kiosk-start").click();
  await expect(kiosk.getByTestId("kiosk-message")).toHaveText(TEXT.invalid, { timeout: 20_000 });

  // Two minutes later (the row's expiry moved back rather than waiting): expired, said so on both sides.
  await testDb.kioskEnrolment.updateMany({
    where: { userId: shopper.id, status: "ISSUED" },
    data: { expiresAt: new Date(Date.now() - 1000) },
  });
  await kiosk.getByLabel("6-digit code from your phone").fill(code);
  await kiosk.getByTestId("kiosk-start").click();
  await expect(kiosk.getByTestId("kiosk-message")).toHaveText(TEXT.expired, { timeout: 20_000 });
  await expect(page.getByTestId("kiosk-status")).toHaveText("The code expired before it was used. Ask for a new one.", {
    timeout: 20_000,
  });
  await expect(page.getByTestId("kiosk-enrol")).toHaveText("Ask for a new code");
  expect(await testDb.faceTemplate.count({ where: { userId: shopper.id } })).toBe(0);
});

test("another shopper cannot use someone's code: not from their phone, not at another store's kiosk, not twice", async ({
  page,
  browser,
  loginAs,
  testDb,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const [store, other] = [await makeStore(), await makeStore()];
  const owner = await loginAs("SHOPPER");
  await grantConsent({ userId: owner.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
  await checkInWithToken({ userId: owner.id, storeSlug: store.slug });
  const { code, enrolmentId } = await issueKioskCode({ userId: owner.id, storeSlug: store.slug });

  // Someone else, signed in on their own phone, posts the code with their own photos: no kiosk, no enrolment.
  const thief = await checkedInPhone(page, loginAs, store.slug);
  const leonard = await burstOf(path.join(VERIFICATION, "faceapi_leonard"), 3);
  const fromPhone = await postBurst(page, store.slug, code, leonard);
  expect(fromPhone.status()).toBe(403);
  expect(((await fromPhone.json()) as { error: string }).error).toBe("kiosk_not_paired");
  // Nor can they follow the owner's enrolment.
  expect((await page.request.get(`/api/me/kiosk-enrolments/${enrolmentId}`)).status()).toBe(404);

  // At another store's paired kiosk the code does not exist.
  const elsewhere = await (await browser.newContext()).newPage();
  await elsewhere.context().addCookies([(await pairedDeviceCookie(other.slug, baseURL!, "KIOSK")).cookie]);
  await elsewhere.goto(`/s/${other.slug}/kiosk`);
  const res = await postBurst(elsewhere, other.slug, code, leonard);
  expect(res.status()).toBe(403);
  expect(((await res.json()) as { error: string }).error).toBe("kiosk_code_invalid");

  // At the store's kiosk it works once; the second use is refused.
  const kiosk = await (await browser.newContext()).newPage();
  await kiosk.context().addCookies([(await pairedDeviceCookie(store.slug, baseURL!, "KIOSK")).cookie]);
  await kiosk.goto(`/s/${store.slug}/kiosk`);
  const amy = await burstOf(path.join(VERIFICATION, "faceapi_amy"), 3);
  expect((await postBurst(kiosk, store.slug, code, amy)).status()).toBe(202);
  const again = await postBurst(kiosk, store.slug, code, leonard);
  expect(again.status()).toBe(403);
  expect(((await again.json()) as { error: string }).error).toBe("kiosk_code_invalid");
  await expect
    .poll(async () => (await testDb.faceTemplate.findUnique({ where: { userId: owner.id } }))?.status, {
      timeout: 60_000,
    })
    .toBe("ENROLLED");
  expect(await testDb.faceTemplate.count({ where: { userId: thief.id } })).toBe(0);
});

test("a burst mixing two people is refused, and the phone says why and what to do", async ({
  page,
  browser,
  loginAs,
  testDb,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const store = await makeStore();
  const shopper = await checkedInPhone(page, loginAs, store.slug);
  await page.getByTestId("kiosk-enrol").click();
  const code = (await page.getByTestId("kiosk-code").textContent())!;
  const kiosk = await (await browser.newContext()).newPage();
  await kiosk.context().addCookies([(await pairedDeviceCookie(store.slug, baseURL!, "KIOSK")).cookie]);
  await kiosk.goto(`/s/${store.slug}/kiosk`);
  const mixed = [
    ...(await burstOf(path.join(VERIFICATION, "faceapi_amy"), 2)),
    ...(await burstOf(path.join(VERIFICATION, "faceapi_penny"), 1)),
  ];
  expect((await postBurst(kiosk, store.slug, code, mixed)).status()).toBe(202);
  await expect(page.getByTestId("kiosk-status")).toHaveText(
    "Not accepted. The photos did not all show the same person. Stand alone in front of the kiosk and try again with a new code.",
    { timeout: 60_000 },
  );
  await expect(page.getByTestId("template-status")).toHaveText("Not accepted");
  expect((await testDb.faceTemplate.findUniqueOrThrow({ where: { userId: shopper.id } })).ciphertext).toBeNull();
});

test("an unpaired or revoked kiosk shows no capture and its bursts are refused", async ({
  page,
  browser,
  loginAs,
  baseURL,
}) => {
  const store = await makeStore();
  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto(`/s/${store.slug}/kiosk`);
  await expect(stranger.getByTestId("kiosk-refused")).toHaveText(TEXT.notPaired);
  await expect(stranger.getByTestId("kiosk-start")).toHaveCount(0);

  const paired = await pairedDeviceCookie(store.slug, baseURL!, "KIOSK");
  const kiosk = await (await browser.newContext()).newPage();
  await kiosk.context().addCookies([paired.cookie]);
  await kiosk.goto(`/s/${store.slug}/kiosk`);
  await expect(kiosk.getByTestId("kiosk-start")).toBeVisible();

  await loginAs("ADMIN");
  await page.goto("/staff/displays");
  await page
    .getByTestId(`display-${paired.deviceId}`)
    .getByRole("button", { name: /^Revoke/ })
    .click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await kiosk.reload();
  await expect(kiosk.getByTestId("kiosk-refused")).toHaveText(TEXT.notPaired);
  const res = await postBurst(kiosk, store.slug, "123456", await burstOf(path.join(VERIFICATION, "faceapi_amy"), 3));
  expect(res.status()).toBe(403);
  expect(((await res.json()) as { error: string }).error).toBe("kiosk_not_paired");
});

test("a shopper deletes their template from the phone", async ({ page, loginAs, testDb, baseURL, browser }) => {
  test.setTimeout(120_000);
  const store = await makeStore();
  const shopper = await checkedInPhone(page, loginAs, store.slug);
  await page.getByTestId("kiosk-enrol").click();
  const code = (await page.getByTestId("kiosk-code").textContent())!;
  const kiosk = await (await browser.newContext()).newPage();
  await kiosk.context().addCookies([(await pairedDeviceCookie(store.slug, baseURL!, "KIOSK")).cookie]);
  await kiosk.goto(`/s/${store.slug}/kiosk`);
  const leonard = await burstOf(path.join(VERIFICATION, "faceapi_leonard"), 3);
  expect((await postBurst(kiosk, store.slug, code, leonard)).status()).toBe(202);
  await expect(page.getByTestId("kiosk-status")).toHaveText(TEXT.enrolled, { timeout: 60_000 });
  await page.getByTestId("template-delete").click();
  await expect(page.getByRole("status")).toHaveText("Your template was deleted.");
  await expect(page.getByTestId("kiosk-status")).toHaveCount(0);
  await expect(page.getByTestId("template-status")).toHaveText("No template");
  expect(await testDb.faceTemplate.count({ where: { userId: shopper.id } })).toBe(0);
});
