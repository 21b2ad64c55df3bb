// README's screenshots, taken from a throwaway copy of the system (its own database and Redis
// prefix, demo data, the built app, one worker): a shopper's notice on a phone and the support
// inbox on a desk, in each language; and the in-store enrolment in English: the entrance display,
// the kiosk with a code typed, the phone showing its kiosk code and then the outcome.
// `npm run build` first, then `npm run docs:screenshots`; writes docs/screenshots/.
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { chromium, type Browser } from "playwright";
import { startIsolatedStack } from "./lib/isolated-stack.ts";
import { LOCALES } from "../lib/i18n/locales.ts";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, "docs", "screenshots");
const DAY = 86_400_000;

const stack = await startIsolatedStack({ workers: 1, root });
let browser: Browser | undefined;
try {
  Object.assign(process.env, stack.env);
  const { db, disconnectDb } = await import("../lib/db.ts");
  // A morning's inbox: one overdue, one due soon, two with time left, one waiting for an identity check.
  const demo = await db().store.findUniqueOrThrow({ where: { slug: "demo" } });
  const now = Date.now();
  for (const [kind, days, status] of [
    ["ERASURE", -1, "SUBMITTED"],
    ["ACCESS", 2, "SUBMITTED"],
    ["ACCESS", 12, "IN_PROGRESS"],
    ["ERASURE", 20, "AWAITING_VERIFICATION"],
    ["ACCESS", 27, "SUBMITTED"],
  ] as const) {
    await db().dataRequest.create({ data: { storeId: demo.id, kind, status, dueAt: new Date(now + days * DAY) } });
  }
  // A shopper with recognition allowed, and a paired entrance display and kiosk (the real use cases).
  const { grantConsent } = await import("../lib/consent/grant-consent.ts");
  const { createDevicePairing } = await import("../lib/devices/create-device-pairing.ts");
  const { pairDevice } = await import("../lib/devices/pair-device.ts");
  const { DEVICE_KINDS } = await import("../lib/devices/device-secret.ts");
  const { encode } = await import("next-auth/jwt");
  const shopper = await db().user.create({
    data: { email: `screens-${Date.now()}@shopper.test`, emailVerified: new Date() },
  });
  await grantConsent({ userId: shopper.id, storeSlug: "demo", purpose: "recognition", noticeVersion: 1 });
  const host = new URL(stack.appUrl).hostname;
  const deviceCookie = async (kind: "DISPLAY" | "KIOSK") => {
    const p = await createDevicePairing({
      kind,
      storeSlug: "demo",
      name: `${kind} (screenshots)`,
      actor: { id: null, role: "SYSTEM" },
    });
    const { credential } = await pairDevice({ kind, storeSlug: "demo", code: p.code });
    return { name: DEVICE_KINDS[kind].cookie, value: credential, domain: host, path: DEVICE_KINDS[kind].page("demo") };
  };
  const [displayCookie, kioskCookie] = [await deviceCookie("DISPLAY"), await deviceCookie("KIOSK")];
  const sessionCookie = {
    name: "authjs.session-token",
    value: await encode({
      token: {
        sub: shopper.id,
        uid: shopper.id,
        sv: shopper.sessionVersion,
        sid: randomBytes(18).toString("base64url"),
      },
      secret: stack.env.AUTH_SECRET!,
      salt: "authjs.session-token",
      maxAge: 3600,
    }),
    domain: host,
    path: "/",
  };
  await disconnectDb();

  mkdirSync(out, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu"],
  });
  const phone = await browser.newContext({ baseURL: stack.appUrl, viewport: { width: 390, height: 844 } });
  const desk = await browser.newContext({ baseURL: stack.appUrl, viewport: { width: 1280, height: 720 } });
  const staffPage = await desk.newPage();
  await staffPage.goto("/staff/signin");
  await staffPage.locator("input[type=email]").fill("support@demo.veil.local");
  await staffPage.locator("input[type=password]").fill(stack.env.DEMO_STAFF_PASSWORD!);
  await Promise.all([staffPage.waitForURL(/\/staff$/), staffPage.locator("form button[type=submit]").first().click()]);
  const shopperPage = await phone.newPage();
  for (const locale of LOCALES) {
    await shopperPage.goto(`/locale/${locale}?next=/s/demo`);
    await shopperPage.screenshot({ path: path.join(out, `notice-${locale}.png`) });
    await staffPage.goto(`/locale/${locale}?next=/staff/requests`);
    await staffPage.screenshot({ path: path.join(out, `inbox-${locale}.png`) });
    console.log(`screenshots: ${locale} done`);
  }

  // The in-store enrolment, in English: display (tablet), phone (checked in, code), kiosk, outcome.
  const tablet = await browser.newContext({ baseURL: stack.appUrl, viewport: { width: 800, height: 1000 } });
  await tablet.addCookies([displayCookie, kioskCookie]);
  const display = await tablet.newPage();
  await display.goto("/locale/en?next=/s/demo/display");
  await display.screenshot({ path: path.join(out, "display-en.png") });
  const checkInUrl = (await display.getByTestId("presence-qr").getAttribute("data-url"))!;
  await phone.addCookies([sessionCookie]);
  await shopperPage.goto("/locale/en?next=/s/demo/consent");
  await shopperPage.goto(checkInUrl);
  await shopperPage.getByTestId("here-check-in").click();
  await shopperPage.getByTestId("kiosk-enrol").click();
  const code = (await shopperPage.getByTestId("kiosk-code").textContent())!;
  await shopperPage.locator("#template").scrollIntoViewIfNeeded();
  await shopperPage.screenshot({ path: path.join(out, "phone-code-en.png") });
  const kiosk = await tablet.newPage();
  await kiosk.goto("/s/demo/kiosk");
  await kiosk.getByLabel(/6-digit code/).fill(code);
  await kiosk.screenshot({ path: path.join(out, "kiosk-en.png") });
  // The burst as the kiosk's camera takes it (here: three photos of one person), posted as the kiosk.
  const dir = path.join(root, "..", "shared", "faces", "verification", "deepface_id08");
  const form = new FormData();
  form.set("code", code);
  for (const f of readdirSync(dir).sort().slice(0, 3))
    form.append("frame", new Blob([readFileSync(path.join(dir, f))], { type: "image/jpeg" }), f);
  const sent = await kiosk.request.post("/s/demo/kiosk/burst", { multipart: form, headers: { origin: stack.appUrl } });
  if (sent.status() !== 202) throw new Error(`kiosk burst refused: ${sent.status()} ${await sent.text()}`);
  await shopperPage.getByTestId("kiosk-status").filter({ hasText: "enrolled" }).waitFor({ timeout: 60_000 });
  await shopperPage.locator("#template").scrollIntoViewIfNeeded();
  await shopperPage.screenshot({ path: path.join(out, "phone-enrolled-en.png") });
  console.log("screenshots: in-store enrolment done");
} finally {
  await browser?.close();
  await stack.stop();
}
console.log(`screenshots: written to ${path.relative(root, out)}/`);
