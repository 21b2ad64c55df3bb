// The attacks of issue 10, each replayed over HTTP against the running app. Every test here failed
// on the app before its protection existed (README "Security" lists which fix each one proves).
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import { spawnSync } from "node:child_process";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { readFileSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { expect, test, signInShopper, signInStaff, type Page } from "../fixtures/test.ts";
import { askSignInLink, authCsrf, rawRequest, type Raw } from "../fixtures/raw-http.ts";
import { grantConsent } from "../../lib/consent/grant-consent.ts";
import { issueKioskCode } from "../../lib/kiosk/issue-kiosk-code.ts";
import { KIOSK_ATTEMPTS_PER_DEVICE } from "../../lib/kiosk/kiosk-code.ts";
import { checkInWithToken } from "../../tests/presence.ts";
import { pairedDeviceCookie } from "../../tests/paired-display.ts";
import { facesDir } from "../../tests/faces.ts";
import { makeStore } from "../../tests/fixtures.ts";

const base = () => new URL(test.info().project.use.baseURL!);

/** A request exactly as an attacker writes it (any Host header), to the run's app. */
const raw = (method: string, path: string, headers: Record<string, string>, body?: string) =>
  rawRequest({ port: base().port }, method, path, headers, body);
const csrf = () => authCsrf({ port: base().port });
/** POST /api/auth/signin/email straight to Auth.js, skipping the sign-in page's server action. */
const askLinkByApi = (email: string, headers: Record<string, string> = {}) =>
  askSignInLink({ port: base().port }, email, headers);

const shopperAddress = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}@shopper.test`;

/**
 * The sign-in page's own form, posted as a browser without JavaScript posts it (multipart, with the
 * server action's id from the page), but with whatever Host/Origin the attacker chooses.
 */
async function askLinkByForm(email: string, headers: Record<string, string>): Promise<Raw> {
  const page = await raw("GET", "/signin", {});
  const actionField = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(page.body)?.[1];
  expect(actionField, "the sign-in form carries its server action id").toBeTruthy();
  const b = "----veilattack";
  const part = (name: string, value: string) =>
    `--${b}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body = part(actionField!, "") + part("callbackUrl", "/me") + part("email", email) + `--${b}--\r\n`;
  return raw("POST", "/signin", { "content-type": `multipart/form-data; boundary=${b}`, ...headers }, body);
}

test.describe("row 1: account takeover through a forged Host", () => {
  const forgeries: [string, Record<string, string>][] = [
    ["Host", { host: "evil.example", origin: "http://evil.example" }],
    ["X-Forwarded-Host", { "x-forwarded-host": "evil.example", origin: "http://evil.example" }],
  ];
  for (const [name, forged] of forgeries) {
    test(`a sign-in link asked for through the form with ${name}: evil.example is never mailed`, async ({
      mailbox,
    }) => {
      const victim = shopperAddress("victim");
      const res = await askLinkByForm(victim, forged);
      // The answer came after any mail was handed to SMTP: what arrived is all there is.
      const links = mailbox.arrived(victim).flatMap((m) => m.links);
      expect(
        links.filter((l) => !l.startsWith(base().origin)),
        `status ${res.status}`,
      ).toEqual([]);
      expect(links).toEqual([]);
      expect(res.status).toBe(421);
    });
  }

  test("a forged Host gets 421 from pages and Auth.js alike, and the real host still signs in", async ({
    mailbox,
    page,
  }) => {
    expect((await raw("GET", "/signin", { host: "evil.example" })).status).toBe(421);
    expect((await raw("GET", "/signin", { "x-forwarded-host": "evil.example:443" })).status).toBe(421);
    const victim = shopperAddress("victimapi");
    expect((await askLinkByApi(victim, { host: "evil.example" })).status).toBe(421);
    expect(mailbox.arrived(victim)).toEqual([]);
    await signInShopper(page, mailbox, "realhost", "/me");
    await expect(page).toHaveURL(/\/me$/);
  });
});

test.describe("row 6: sign-in limits bypassed", () => {
  // A forged X-Forwarded-For (rotated on every request, with and without a trusted proxy) is
  // e2e/security/client-ip.spec.ts: it needs sockets from addresses of its own.

  test("a sign-in link lives 15 minutes and only the newest one works", async ({ page, mailbox, testDb }) => {
    const email = shopperAddress("newest");
    const before = Date.now();
    await askLinkByApi(email);
    const first = mailbox
      .arrived(email)
      .at(-1)!
      .links.find((l) => l.includes("/callback/email"))!;
    await askLinkByApi(email);
    const second = mailbox
      .arrived(email)
      .at(-1)!
      .links.find((l) => l.includes("/callback/email"))!;
    expect(second).not.toBe(first);
    const tokens = await testDb.verificationToken.findMany({ where: { identifier: email } });
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.expires.getTime()).toBeLessThanOrEqual(before + 15 * 60_000 + 60_000);
    await page.goto(first);
    await expect(page).toHaveURL(/\/auth\/error/);
    await page.goto(second);
    await expect(page).toHaveURL(/\/me$/);
  });
});

test.describe("row 2: open redirect", () => {
  for (const next of [
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d/evil.example",
    "/\t/evil.example",
    "/%5C/evil.example",
    "https://evil.example/",
  ]) {
    test(`the language switch with next=${next} stays on the site`, async () => {
      const res = await raw("GET", `/locale/fr?next=${next.replace("\t", "%09")}`, {});
      expect(res.status).toBe(303);
      const to = new URL(res.headers.location!, base().origin);
      expect(to.origin).toBe(base().origin);
    });
  }
});

async function staffCallback(email: string, password: string): Promise<Raw> {
  const { token, cookie } = await csrf();
  const body = new URLSearchParams({ email, password, csrfToken: token, callbackUrl: "/staff" }).toString();
  return raw("POST", "/api/auth/callback/staff", { "content-type": "application/x-www-form-urlencoded", cookie }, body);
}
const hasSession = (r: Raw) =>
  ([] as string[])
    .concat(r.headers["set-cookie"] ?? [])
    .some((c) => /session-token=[^;]+/.test(c) && !/session-token=;/.test(c));

test.describe("row 3: staff password brute force", () => {
  test("25 wrong passwords lock the account for this client: the right one then fails, and staff see it in the audit", async ({
    staff,
    testDb,
  }) => {
    test.setTimeout(120_000);
    const target = await staff("SUPPORT");
    for (let i = 0; i < 25; i++) expect(hasSession(await staffCallback(target.email, `wrong-${i}`))).toBe(false);
    expect(hasSession(await staffCallback(target.email, target.password))).toBe(false);
    const locked = await testDb.auditLog.findFirst({ where: { action: "staff.signin_locked", targetId: target.id } });
    expect(locked).not.toBeNull();
  });

  test("an unknown staff address is throttled exactly like a known one", async () => {
    const ghost = `ghost-${randomUUID().slice(0, 8)}@staff.test`;
    const answers: string[] = [];
    for (let i = 0; i < 7; i++) answers.push(String((await staffCallback(ghost, "nope")).headers.location));
    // Five tries get "wrong credentials", then the same lock as a real account.
    expect(answers.slice(0, 5).every((a) => a === answers[0])).toBe(true);
    expect(answers[6]).not.toBe(answers[0]);
    expect(answers[6]).toContain("locked");
  });
});

async function shopperCookie(page: Page, mailbox: Parameters<typeof signInShopper>[1]): Promise<string> {
  await signInShopper(page, mailbox, "upload", "/me");
  await expect(page).toHaveURL(/\/me$/);
  return (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
}

// Issue 11: a photo of someone else, uploaded as "my selfie", became an ENROLLED template. There is
// no upload path any more: a template is made only from a kiosk's burst (invariant 10).
test.describe("issue 11: enrolment from an uploaded photo", () => {
  test("the old selfie upload endpoint is gone (404/405) and a posted photo makes no template", async ({
    page,
    loginAs,
    testDb,
  }) => {
    const shopper = await loginAs("SHOPPER");
    await grantConsent({ userId: shopper.id, storeSlug: "demo", purpose: "recognition", noticeVersion: 1 });
    await checkInWithToken({ userId: shopper.id, storeSlug: "demo" });
    const photo = readFileSync(path.join(facesDir(), "verification", "faceapi_leonard", "leonard2.png"));
    for (const url of ["/api/me/selfie", "/api/me/template"]) {
      const res = await page.request.post(url, {
        headers: { origin: base().origin, accept: "application/json" },
        multipart: { store: "demo", photo: { name: "me.png", mimeType: "image/png", buffer: photo } },
      });
      expect([404, 405], `${url} answers ${res.status()}`).toContain(res.status());
    }
    // The kiosk's endpoint with the shopper's own session (no kiosk credential) is refused too,
    // even with a code of their own.
    const { code } = await issueKioskCode({ userId: shopper.id, storeSlug: "demo" });
    const jpeg = await sharp(photo).jpeg().toBuffer();
    const frame = { name: "f.jpg", mimeType: "image/jpeg", buffer: jpeg };
    const res = await page.request.post("/s/demo/kiosk/burst", {
      headers: { origin: base().origin },
      multipart: { code, frame, frame2: frame },
    });
    expect(res.status()).toBe(403);
    expect(((await res.json()) as { error: string }).error).toBe("kiosk_not_paired");
    expect(await testDb.faceTemplate.count({ where: { userId: shopper.id } })).toBe(0);
  });
});

// Rows 4 and 13 of issue 10 were floods of the selfie upload; the kiosk's burst endpoint is the one
// upload left for enrolment, and gets the same protections.
test.describe("rows 4 and 13: enrolment upload floods", () => {
  test("a chunked burst body far over its limit is refused while it is still arriving", async () => {
    const u = base();
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({
        host: u.hostname,
        port: u.port,
        method: "POST",
        path: "/s/demo/kiosk/burst",
        headers: {
          origin: u.origin,
          "content-type": "multipart/form-data; boundary=x",
          "transfer-encoding": "chunked",
        },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode!);
        req.destroy();
      });
      req.on("error", (e) => (req.destroyed ? undefined : reject(e)));
      // 40 MB, then the body stays open: only a server that stops reading at its limit answers.
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      let sent = 0;
      const pump = () => {
        while (sent < 40 && !req.destroyed) {
          sent++;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
      };
      req.write(
        '--x\r\ncontent-disposition: form-data; name="frame"; filename="a.jpg"\r\ncontent-type: image/jpeg\r\n\r\n',
      );
      pump();
    });
    expect(status).toBe(413);
  });

  test("a burst posted from a foreign Origin is refused with 403", async () => {
    const body = `--x\r\ncontent-disposition: form-data; name="code"\r\n\r\n123456\r\n--x--\r\n`;
    const res = await raw(
      "POST",
      "/s/demo/kiosk/burst",
      { origin: "https://evil.example", "content-type": "multipart/form-data; boundary=x" },
      body,
    );
    expect(res.status).toBe(403);
  });

  test("code attempts are rate limited per kiosk, so a kiosk cannot be used to guess codes", async ({
    browser,
    baseURL,
  }) => {
    const store = await makeStore();
    const kiosk = await browser.newContext();
    await kiosk.addCookies([(await pairedDeviceCookie(store.slug, baseURL!, "KIOSK")).cookie]);
    const jpeg = await sharp(readFileSync(path.join(facesDir(), "verification", "faceapi_amy", "amy1.png")))
      .jpeg()
      .toBuffer();
    const statuses: number[] = [];
    for (let i = 0; i < KIOSK_ATTEMPTS_PER_DEVICE + 1; i++) {
      const form = new FormData();
      form.set("code", String(100000 + i));
      for (let f = 0; f < 3; f++)
        form.append("frame", new Blob([new Uint8Array(jpeg)], { type: "image/jpeg" }), "f.jpg");
      const res = await kiosk.request.post(`/s/${store.slug}/kiosk/burst`, {
        multipart: form,
        headers: { origin: base().origin },
      });
      statuses.push(res.status());
    }
    expect(statuses.slice(0, KIOSK_ATTEMPTS_PER_DEVICE)).toEqual(Array(KIOSK_ATTEMPTS_PER_DEVICE).fill(403));
    expect(statuses[KIOSK_ATTEMPTS_PER_DEVICE]).toBe(429);
    await kiosk.close();
  });
});

test.describe("row 7: staff e-mail enumeration", () => {
  test("the shopper sign-in form answers a staff address exactly like a shopper's, and sends nothing", async ({
    page,
    staff,
    mailbox,
  }) => {
    const support = await staff("SUPPORT");
    await page.goto("/signin");
    await page.getByRole("textbox").fill(support.email);
    await page.getByRole("button", { name: /send me a sign-in link/i }).click();
    await expect(page.getByRole("heading", { name: "Check your e-mail" })).toBeVisible();
    expect(mailbox.arrived(support.email)).toEqual([]);
    const api = await askLinkByApi(support.email);
    const shopper = await askLinkByApi(shopperAddress("same"));
    expect(api.status).toBe(shopper.status);
    expect(new URL(api.headers.location!, base().origin).pathname).toBe(
      new URL(shopper.headers.location!, base().origin).pathname,
    );
    expect(mailbox.arrived(support.email)).toEqual([]);
  });
});

test.describe("row 11: text injection on the staff console", () => {
  test.use({ viewport: { width: 1280, height: 800 } });
  test("?error= on a request page shows a fixed message, never the attacker's text", async ({
    page,
    staff,
    testDb,
  }) => {
    const store = await testDb.store.findUniqueOrThrow({ where: { slug: "demo" } });
    const req = await testDb.dataRequest.create({
      data: { storeId: store.id, kind: "ACCESS", dueAt: new Date(Date.now() + 30 * 86_400_000) },
    });
    await signInStaff(page, await staff("SUPPORT"));
    const lure = "Session expired. Re-enter your password at https://evil.example";
    await page.goto(`/staff/requests/${req.id}?error=${encodeURIComponent(lure)}`);
    await expect(page.locator("main [role=alert]")).toHaveText(
      "Something went wrong and nothing was changed. Please try again.",
    );
    await expect(page.locator("body")).not.toContainText("evil.example");
  });
});

test.describe("row 16: bad input answered with 500", () => {
  test.use({ viewport: { width: 1280, height: 800 } });
  test("every page and route answers invalid query parameters with a 2xx-4xx, never a 5xx", async ({ page, staff }) => {
    test.setTimeout(120_000);
    await signInStaff(page, await staff("ADMIN"));
    const junk = [
      "FOO",
      '\'; DROP TABLE "User"; --',
      "%00",
      "x".repeat(3000),
      "../../etc/passwd",
      "<script>alert(1)</script>",
    ];
    const pages: [string, string[]][] = [
      ["/staff/requests", ["status", "kind", "store"]],
      ["/staff/requests/not-a-request", ["saved", "error"]],
      ["/staff/stores", ["saved", "error"]],
      ["/staff/jobs", ["retried"]],
      ["/staff/cameras", ["saved", "error"]],
      ["/staff/dashboard", ["store", "from", "to"]],
      ["/staff", ["page"]],
      ["/staff/signin", ["error"]],
      ["/signin", ["callbackUrl", "error"]],
      ["/signin/check", ["provider"]],
      ["/auth/error", ["error"]],
      ["/me", ["saved", "error"]],
      ["/s/demo", ["x"]],
      ["/s/demo/consent", ["saved", "error", "purpose"]],
      ["/s/demo/records", ["page"]],
      ["/locale/fr", ["next"]],
      ["/api/staff/consents.csv", ["store", "from", "to"]],
      ["/api/me/exports/not-an-export", ["x"]],
      ["/api/consent-receipts/not-a-receipt", ["x"]],
      ["/api/health", ["x"]],
    ];
    const failures: string[] = [];
    for (const [path, params] of pages) {
      for (const value of junk) {
        for (const name of params) {
          const q = `${name}=${encodeURIComponent(value)}`;
          // Each parameter alone, and repeated (an array where a string is expected).
          for (const url of [`${path}?${q}`, `${path}?${q}&${q}`]) {
            const status = (await page.request.get(url, { maxRedirects: 0 })).status();
            if (status >= 500) failures.push(`${status} ${url.slice(0, 120)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  test("a server action posted from a foreign Origin is refused with 403, not 500", async () => {
    const res = await askLinkByForm(shopperAddress("origin"), { origin: "https://evil.example" });
    expect(res.status).toBe(403);
  });
});

test.describe("row 8: public metrics and health", () => {
  test("metrics need the scraper's token; health tells strangers only up or down", async () => {
    expect((await raw("GET", "/api/metrics", {})).status).toBe(401);
    expect((await raw("GET", "/api/metrics", { authorization: "Bearer guess" })).status).toBe(401);
    expect((await raw("GET", "/api/metrics", { authorization: `Bearer ${process.env.METRICS_TOKEN}x` })).status).toBe(
      401,
    );
    const ok = await raw("GET", "/api/metrics", { authorization: `Bearer ${process.env.METRICS_TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain("veil_frames_accepted_total");
    const health = await raw("GET", "/api/health", {});
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: "ok" });
    const details = JSON.parse(
      (await raw("GET", "/api/health", { authorization: `Bearer ${process.env.METRICS_TOKEN}` })).body,
    ) as Record<string, unknown>;
    expect(details).toHaveProperty("queues");
  });
});

test.describe("row 12: camera id enumeration", () => {
  test("an unknown camera and a wrong signature get the same answer, and failed signatures are limited", async () => {
    const cam = await registerCamera({
      storeSlug: "demo",
      name: "enumeration target",
      actor: { id: null, role: "SYSTEM" },
    });
    const body = randomBytes(64).toString("hex");
    const post = (camera: string, secret: string) => {
      const ts = String(Math.floor(Date.now() / 1000));
      const digest = createHash("sha256").update(body).digest("hex");
      const sig = createHmac("sha256", secret).update(`POST\n/api/ingest/frames\n${ts}\n${digest}`).digest("hex");
      return raw(
        "POST",
        "/api/ingest/frames",
        {
          "content-type": "image/jpeg",
          "x-veil-camera": camera,
          "x-veil-timestamp": ts,
          "x-veil-signature": `v1=${sig}`,
        },
        body,
      );
    };
    const unknown = await post(`cam_${randomBytes(6).toString("hex")}`, "guess");
    const wrong = await post(cam.cameraId, "guess");
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toBe(wrong.body);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) statuses.push((await post(cam.cameraId, `guess${i}`)).status);
    expect(statuses.slice(0, 29).every((s) => s === 401)).toBe(true);
    expect(statuses[29]).toBe(429);
    // Locked for the rest of the minute: even the right secret is refused from this address.
    const limited = await post(cam.cameraId, cam.secret);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
  });
});

test.describe("row 5: sessions survive sign-out", () => {
  test("a saved shopper cookie stops working once the shopper signs out", async ({ page, mailbox }) => {
    const cookie = await shopperCookie(page, mailbox);
    expect((await raw("GET", "/me", { cookie })).status).toBe(200);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
    const replay = await raw("GET", "/me", { cookie });
    expect(replay.status).toBe(307);
    expect(replay.headers.location).toContain("/signin");
  });

  test("a saved staff cookie stops working once that staff member signs out anywhere", async ({
    page,
    staff,
    browser,
  }) => {
    const support = await staff("SUPPORT");
    await signInStaff(page, support);
    const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    expect((await raw("GET", "/staff", { cookie })).status).toBe(200);
    // Signed in on a second device, and signing out there.
    const other = await browser.newContext({ baseURL: base().origin });
    const second = await other.newPage();
    await signInStaff(second, support);
    await second.getByRole("button", { name: "Sign out" }).click();
    await expect(second.getByRole("button", { name: "Sign out" })).toHaveCount(0);
    await other.close();
    const replay = await raw("GET", "/staff", { cookie });
    expect(replay.status).toBe(307);
    expect(replay.headers.location).toContain("/staff/signin");
  });
});

test.describe("row 14: CSP allows inline scripts", () => {
  test("every page's scripts run by a fresh per-request nonce, never by 'unsafe-inline'", async () => {
    const nonces: string[] = [];
    for (const path of ["/signin", "/signin", "/s/demo"]) {
      const res = await raw("GET", path, {});
      const csp = String(res.headers["content-security-policy"]);
      const scripts = csp.split("; ").find((d) => d.startsWith("script-src "))!;
      expect(scripts, path).not.toContain("'unsafe-inline'");
      const nonce = /'nonce-([^']+)'/.exec(scripts)?.[1];
      expect(nonce, path).toBeTruthy();
      nonces.push(nonce!);
      const tags = res.body.match(/<script\b[^>]*>/g) ?? [];
      expect(tags.length, path).toBeGreaterThan(0);
      for (const tag of tags) expect(tag, path).toContain(`nonce="${nonce}"`);
    }
    expect(new Set(nonces).size).toBe(nonces.length);
  });
});

test.describe("first administrator", () => {
  test.use({ viewport: { width: 1280, height: 800 } });
  test("the one-time first-admin command prints a one-time link, never a password", async ({ page, testDb }) => {
    // A fresh deployment has no administrator: this run's are set aside for the test, then restored.
    const admins = await testDb.user.findMany({ where: { role: "ADMIN" }, select: { id: true } });
    await testDb.user.updateMany({ where: { role: "ADMIN" }, data: { role: "SUPPORT" } });
    try {
      const email = `first-${randomUUID().slice(0, 8)}@staff.test`;
      const cli = (address: string) =>
        spawnSync("npx", ["tsx", "scripts/first-admin.ts", "--email", address], {
          env: process.env,
          encoding: "utf8",
          timeout: 60_000,
        });
      const first = cli(email);
      expect(first.status, first.stderr).toBe(0);
      const link = /https?:\/\/\S+\/staff\/setup\?\S+/.exec(first.stdout)?.[0];
      expect(link, first.stdout).toBeTruthy();
      expect(new URL(link!).origin).toBe(base().origin);
      expect((await testDb.user.findUniqueOrThrow({ where: { email } })).passwordHash).toBeNull();
      // Once: with an administrator in place the command refuses.
      const second = cli(`second-${randomUUID().slice(0, 8)}@staff.test`);
      expect(second.status).toBe(2);
      expect(second.stderr).toContain("an administrator already exists");

      const password = randomBytes(12).toString("base64url");
      await page.goto(link!);
      await page.getByLabel("New password (at least 12 characters)").fill(password);
      await page.getByRole("button", { name: "Save password" }).click();
      await expect(page.getByRole("status")).toHaveText("Your password is saved. Sign in with it.");
      await signInStaff(page, { email, password });
      // The link worked once.
      await page.context().clearCookies();
      await page.goto(link!);
      await page.getByLabel("New password (at least 12 characters)").fill(`${password}-again`);
      await page.getByRole("button", { name: "Save password" }).click();
      await expect(page.locator("main [role=alert]")).toContainText("This setup link does not work");
    } finally {
      await testDb.user.updateMany({ where: { id: { in: admins.map((a) => a.id) } }, data: { role: "ADMIN" } });
    }
  });
});
