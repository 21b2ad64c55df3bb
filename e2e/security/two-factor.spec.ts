// Attacks on the administrators' second factor (issue 10, README "Security" row 3b), over HTTP
// against the running app. Each test fails with its protection taken out.
import { randomBytes, randomUUID } from "node:crypto";
import { expect, test, nextTotpCode, signInStaff, type Page } from "../fixtures/test.ts";
import { hashPassword } from "../../lib/auth/password.ts";
import { totpCode } from "../../lib/auth/totp.ts";
import { SECOND_FACTOR_LIMITS } from "../../lib/auth/staff-throttle.ts";
import { db } from "../../lib/db.ts";

type Account = { id: string; email: string; password: string };

/** An administrator with a password and no authenticator yet (as `npm run admin:first` leaves one). */
async function newAdmin(): Promise<Account> {
  const password = randomBytes(12).toString("base64url");
  const email = `admin2fa-${randomUUID().slice(0, 8)}@staff.test`;
  const user = await db().user.create({
    data: { email, role: "ADMIN", passwordHash: await hashPassword(password), emailVerified: new Date() },
  });
  return { id: user.id, email, password };
}

/** The right password, and nothing more: where the app sends the administrator. */
async function passwordOnly(page: Page, account: Account): Promise<void> {
  await page.goto("/staff/signin");
  await page.getByLabel("E-mail").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/staff\/two-factor$/);
}

/** Types a code on a fresh code page and waits for the answer: the console, or the page with an error. */
async function typeCode(page: Page, code: string): Promise<void> {
  await page.goto("/staff/two-factor");
  await expect(page).toHaveURL(/\/staff\/two-factor$/);
  await page.getByLabel("Code or recovery code").fill(code);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page).toHaveURL(/\/staff(\/two-factor\?error=\w+)?$/);
}

/** Every console page and the staff API, asked for with this browser's cookies, without following redirects. */
async function consoleIsClosed(page: Page, to: RegExp): Promise<void> {
  for (const path of [
    "/staff",
    "/staff/requests",
    "/staff/cameras",
    "/staff/stores",
    "/staff/dashboard",
    "/staff/jobs",
  ]) {
    const res = await page.request.get(path, { maxRedirects: 0 });
    expect(res.status(), path).toBe(307);
    expect(res.headers().location, path).toMatch(to);
  }
  const csv = await page.request.get("/api/staff/consents.csv", { maxRedirects: 0 });
  expect(csv.status()).toBe(401);
}

const audits = (userId: string, action: string) => db().auditLog.count({ where: { targetId: userId, action } });

test.describe("row 3b: TOTP second factor for administrators", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("admin with password only cannot reach the console", async ({ page, browser, staff }) => {
    // Enrolled: the password leads to the code page, and no console page or staff route answers.
    const enrolled = await staff("ADMIN");
    await passwordOnly(page, enrolled);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Enter your sign-in code");
    await consoleIsClosed(page, /\/staff\/two-factor$/);
    // Not yet enrolled: forced to set up the authenticator first, with the console closed alike.
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const fresh = await context.newPage();
    const admin = await newAdmin();
    await passwordOnly(fresh, admin);
    await expect(fresh.getByRole("heading", { level: 1 })).toHaveText("Set up two-step sign-in");
    await expect(fresh.getByTestId("totp-qr")).toBeVisible();
    await consoleIsClosed(fresh, /\/staff\/two-factor$/);
    await context.close();
    // A support account's password still opens the console alone.
    await signInStaff(page, await staff("SUPPORT"));
  });

  test("TOTP code brute force is locked", async ({ page, staff }) => {
    const admin = await staff("ADMIN");
    await passwordOnly(page, admin);
    const right = await nextTotpCode(admin.id);
    // Wrong codes that are sure to be wrong (never the right one of any step in the window).
    const wrong = (i: number) => String((Number(right) + 1 + i * 7) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < SECOND_FACTOR_LIMITS.failures - 1; i++) {
      await typeCode(page, wrong(i));
      await expect(page.locator("main [role=alert]")).toHaveText(
        "That code is not correct or was already used. Wait for the next code and try again.",
      );
    }
    await typeCode(page, wrong(SECOND_FACTOR_LIMITS.failures));
    await expect(page.locator("main [role=alert]")).toHaveText(
      "Too many wrong codes. Codes for this account are refused for at least 15 minutes.",
    );
    // Locked: now even the right code is refused, and the console stays closed.
    await typeCode(page, right);
    await expect(page.locator("main [role=alert]")).toContainText("Too many wrong codes");
    await consoleIsClosed(page, /\/staff\/two-factor$/);
    expect(await audits(admin.id, "staff.totp_failed")).toBe(SECOND_FACTOR_LIMITS.failures);
    expect(await audits(admin.id, "staff.totp_locked")).toBe(1);
    // The lock is the account's, not the browser's: a fresh session meets it too.
    await page.context().clearCookies();
    await passwordOnly(page, admin);
    await typeCode(page, await nextTotpCode(admin.id));
    await expect(page.locator("main [role=alert]")).toContainText("Too many wrong codes");
  });

  test("a replayed TOTP code is refused", async ({ page, browser, staff }) => {
    const admin = await staff("ADMIN");
    await passwordOnly(page, admin);
    const code = await nextTotpCode(admin.id);
    await typeCode(page, code);
    await expect(page).toHaveURL(/\/staff$/);
    // Another session (the attacker saw the code over a shoulder, or in a phished form): the same
    // code again, within its 30 s, is refused, and that session stays without a console.
    const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
    const other = await context.newPage();
    await passwordOnly(other, admin);
    await typeCode(other, code);
    await expect(other.locator("main [role=alert]")).toHaveText(
      "That code is not correct or was already used. Wait for the next code and try again.",
    );
    await consoleIsClosed(other, /\/staff\/two-factor$/);
    // The factor is per session: the first one is still open, and a fresh code opens the second.
    expect((await page.request.get("/staff", { maxRedirects: 0 })).status()).toBe(200);
    await typeCode(other, await nextTotpCode(admin.id));
    await expect(other).toHaveURL(/\/staff$/);
    await context.close();
  });

  test("a recovery code works once", async ({ page, browser }) => {
    // Enrolment through the page, as the administrator does it: the secret, one code, ten codes shown.
    const admin = await newAdmin();
    await passwordOnly(page, admin);
    const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
    await page.getByLabel("6-digit code").fill(await totpCode(secret));
    await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
    const shown = page.getByTestId("recovery-codes").locator("li");
    await expect(shown).toHaveCount(10);
    const codes = await shown.allInnerTexts();
    expect(new Set(codes).size).toBe(10);
    // Only hashes are stored.
    const stored = await db().staffRecoveryCode.findMany({ where: { userId: admin.id } });
    expect(stored.map((r) => r.codeHash).some((h) => codes.some((c) => h.includes(c.replace(/-/g, ""))))).toBe(false);
    await page.getByRole("link", { name: "I have saved them: open the console" }).click();
    await expect(page).toHaveURL(/\/staff$/);
    expect(await audits(admin.id, "staff.totp_enrolled")).toBe(1);
    // The codes are not shown again.
    await page.goto("/staff/two-factor");
    await expect(page).toHaveURL(/\/staff$/);

    const signInWith = async (code: string) => {
      const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
      const p = await context.newPage();
      await passwordOnly(p, admin);
      await typeCode(p, code);
      const opened = new URL(p.url()).pathname === "/staff";
      await context.close();
      return opened;
    };
    expect(await signInWith(codes[0]!)).toBe(true);
    expect(await audits(admin.id, "staff.recovery_code_used")).toBe(1);
    // Spent: the same code again opens nothing.
    expect(await signInWith(codes[0]!)).toBe(false);
    // Another one works, typed without its dashes and in capitals.
    expect(await signInWith(codes[1]!.replace(/-/g, "").toUpperCase())).toBe(true);
    expect(await db().staffRecoveryCode.count({ where: { userId: admin.id, usedAt: null } })).toBe(8);
  });
});
