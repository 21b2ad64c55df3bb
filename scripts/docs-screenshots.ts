// README's screenshots, taken from a throwaway copy of the system (its own database and Redis
// prefix, demo data, the built app): a shopper's notice on a phone and the support inbox on a desk,
// in each language. `npm run build` first, then `npm run docs:screenshots`; writes docs/screenshots/.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright";
import { startIsolatedStack } from "./lib/isolated-stack.ts";
import { LOCALES } from "../lib/i18n/locales.ts";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, "docs", "screenshots");
const DAY = 86_400_000;

const stack = await startIsolatedStack({ workers: 0, root });
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
} finally {
  await browser?.close();
  await stack.stop();
}
console.log(`screenshots: written to ${path.relative(root, out)}/`);
