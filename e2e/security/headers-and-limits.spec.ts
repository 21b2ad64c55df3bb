import { randomUUID } from "node:crypto";
import { expect, signInShopper, test } from "../fixtures/test.ts";

test("security headers are set on pages and APIs", async ({ request }) => {
  for (const path of ["/s/demo", "/api/health", "/signin"]) {
    const res = await request.get(path);
    const h = res.headers();
    expect(h["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"]).toContain("default-src 'self'");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["referrer-policy"]).toBe("same-origin");
    expect(h["x-powered-by"]).toBeUndefined();
  }
});

test("session cookies are HttpOnly and SameSite=Lax", async ({ page, mailbox, context }) => {
  await signInShopper(page, mailbox, "cookie", "/me");
  const session = (await context.cookies()).find((c) => c.name.includes("session-token"));
  expect(session).toBeTruthy();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");
});

// Declares the mailbox: the five links it asks for are really sent, whatever ran before it.
test("sign-in links are rate limited per address, with a clear message", async ({ page, mailbox }) => {
  const email = `limit-${randomUUID().slice(0, 8)}@shopper.test`;
  for (let i = 0; i < 5; i++) {
    await page.goto("/signin");
    await page.getByRole("textbox").fill(email);
    await page.getByRole("button", { name: /send me a sign-in link/i }).click();
    await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
  }
  await mailbox.waitForMail(email, { timeoutMs: 15_000 });
  await page.goto("/signin");
  await page.getByRole("textbox").fill(email);
  await page.getByRole("button", { name: /send me a sign-in link/i }).click();
  await expect(page.locator("main [role=alert]")).toHaveText(
    "Too many sign-in links were asked for. Wait 15 minutes and try again.",
  );
});
