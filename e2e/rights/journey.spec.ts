import path from "node:path";
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { expect, signInShopper, signInStaff, test, type Page } from "../fixtures/test.ts";
import { facesDir } from "../../tests/faces.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { signFrame } from "../../lib/ingest/frame-signature.ts";
import { existingPseudonym } from "../../lib/subjects/pseudonym.ts";
import { remainsOf, whereIs } from "../../tests/erased-subject.ts";
import { verifyAuditChain } from "../../lib/audit/verify-audit-chain.ts";
import { presenceUrl } from "../../tests/presence.ts";
import { pairedDeviceCookie } from "../../tests/paired-display.ts";
import { burstOf } from "../../tests/kiosk.ts";

// The whole journey in the browser for two shoppers at once, against the built app and workers
// (which connect as the restricted database role): both purposes, check-in, enrolment at the kiosk,
// recognised by
// a camera, a copy of their data, withdrawal of demographics; then A is erased (support approves)
// and the leftover scanner finds nothing of A anywhere and everything of B.
// Amy and Penny are enrolled by no other spec: a second template of the same person in the store's
// gallery would defeat the match margin.
const FACES = facesDir();
const PATH = "/api/ingest/frames";

test("shoppers A and B go through everything; A is erased; nothing of A is left, B is intact", async ({
  browser,
  staff,
  testDb,
  mailbox,
  request,
  baseURL,
}) => {
  test.setTimeout(240_000);
  // A camera per shopper: the two journeys run at once, and two faces at the same spot of one
  // camera moments apart would be one anonymous track to the tracker (recognition is per track).
  const cams = new Map<string, Awaited<ReturnType<typeof registerCamera>>>();
  const camFor = async (tag: string) => {
    if (!cams.has(tag))
      cams.set(
        tag,
        await registerCamera({ storeSlug: "demo", name: `journey door ${tag}`, actor: { id: null, role: "SYSTEM" } }),
      );
    return cams.get(tag)!;
  };
  // The store's enrolment kiosk, posting bursts as its page does (e2e/consent/kiosk.spec.ts drives
  // the page itself with a camera).
  const kiosk = await (await browser.newContext()).newPage();
  await kiosk.context().addCookies([(await pairedDeviceCookie("demo", baseURL!, "KIOSK")).cookie]);
  await kiosk.goto("/s/demo/kiosk");
  let lastTs = 0;
  const post = async (tag: string, file: string) => {
    const cam = await camFor(tag);
    const body = await sharp(readFileSync(file)).jpeg({ quality: 92 }).toBuffer();
    lastTs = Math.max(Math.floor(Date.now() / 1000), lastTs + 1);
    const ts = String(lastTs);
    const sig = signFrame(cam.secret, "POST", PATH, ts, body);
    const res = await request.post(PATH, {
      headers: {
        "content-type": "image/jpeg",
        "x-veil-camera": cam.cameraId,
        "x-veil-timestamp": ts,
        "x-veil-signature": sig,
      },
      data: body,
    });
    expect(res.status()).toBe(202);
  };

  const journey = async (tag: string, identity: string) => {
    const page: Page = await (await browser.newContext()).newPage();
    const email = await signInShopper(page, mailbox, tag);
    const user = await testDb.user.findUniqueOrThrow({ where: { email } });
    await page.getByTestId("toggle-recognition").click();
    await expect(page.getByTestId("status-recognition")).toHaveText("Allowed");
    await page.getByTestId("toggle-demographics").click();
    await expect(page.getByTestId("status-demographics")).toHaveText("Allowed");

    const dir = path.join(FACES, "verification", identity);
    await page.goto(await presenceUrl("demo"));
    await page.getByTestId("here-check-in").click();
    await expect(page.getByTestId("presence-status")).toContainText("Checked in until");
    await page.getByTestId("kiosk-enrol").click();
    const code = (await page.getByTestId("kiosk-code").textContent())!;
    const form = new FormData();
    form.set("code", code);
    for (const f of await burstOf(dir, 3))
      form.append("frame", new Blob([new Uint8Array(f)], { type: "image/jpeg" }), "f.jpg");
    const sent = await kiosk.request.post("/s/demo/kiosk/burst", {
      multipart: form,
      headers: { origin: new URL(baseURL!).origin },
    });
    expect(sent.status()).toBe(202);
    await expect(page.getByTestId("kiosk-status")).toHaveText(
      "Done: you are enrolled. You can delete your template at any time.",
      { timeout: 45_000 },
    );

    await post(tag, path.join(dir, `${identity.replace("faceapi_", "")}5.png`));
    await expect(async () =>
      expect(await testDb.visit.count({ where: { userId: user.id, ageBand: { not: null } } })).toBe(1),
    ).toPass({ timeout: 45_000 });

    await page.goto("/me");
    await expect(page.getByTestId("visits")).toContainText("Veil Demo Store");
    await page.getByLabel("Store").first().selectOption({ label: "Veil Demo Store" });
    await page.getByRole("button", { name: "Get a copy of my data" }).click();
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("export-link")).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 45_000 });
    const res = await page.request.get((await page.getByTestId("export-link").getAttribute("href"))!);
    expect(await res.text()).toContain(email);

    await page.goto("/s/demo/consent");
    await page.getByTestId("toggle-demographics").click();
    await expect(page.getByRole("status")).toHaveText(
      "Saved: “Estimate my age band and gender” is withdrawn. Age band and gender removed from 1 visit(s).",
    );
    await page.goto("/me");
    await expect(page.getByTestId("withdrawals")).toContainText("age band and gender removed from 1 visit(s)");

    const template = await testDb.faceTemplate.findUniqueOrThrow({ where: { userId: user.id } });
    return { page, email, user, templateId: template.id, pseudonym: (await existingPseudonym(user.id))! };
  };
  const [a, b] = await Promise.all([journey("journey-a", "faceapi_amy"), journey("journey-b", "faceapi_penny")]);

  // A asks for erasure; support approves.
  await a.page.goto("/me/erase");
  await a.page.getByLabel("Store").selectOption({ label: "Veil Demo Store" });
  await a.page.getByRole("button", { name: "Yes, erase my data" }).click();
  await expect(a.page.getByRole("status")).toHaveText("Request received. You can follow it here.");
  const request_ = await testDb.dataRequest.findFirstOrThrow({ where: { userId: a.user.id, kind: "ERASURE" } });
  const desk = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await signInStaff(desk, await staff("SUPPORT"));
  await desk.goto(`/staff/requests/${request_.id}`);
  // While A exists, support sees A's whole trail on the request page.
  await expect(desk.getByTestId("timeline")).toContainText("Checked in at the store");
  await expect(desk.getByTestId("timeline")).toContainText("Photos taken at the kiosk");
  await desk.getByRole("button", { name: "Approve" }).click();
  await expect(async () => {
    await desk.reload();
    await expect(desk.getByTestId("request-status")).toHaveText("Done", { timeout: 1000 });
  }).toPass({ timeout: 45_000 });
  await expect(desk.getByTestId("receipt")).toContainText("pseudonymousAuditRecords");

  expect(
    await remainsOf({ userId: a.user.id, email: a.email, pseudonym: a.pseudonym, templateId: a.templateId }),
  ).toEqual({ linked: [], keylessTrails: 1, subjectKeys: 0 });

  const { where, missingTables } = await whereIs({
    userId: b.user.id,
    email: b.email,
    pseudonym: b.pseudonym,
    templateId: b.templateId,
  });
  expect(missingTables).toEqual([]);
  expect([...where].some((w) => w.startsWith("file:exports/"))).toBe(true);
  await b.page.goto("/me");
  await expect(b.page.getByTestId("visits")).toContainText("Veil Demo Store");
  expect((await verifyAuditChain()).ok).toBe(true);

  // A's old session opens nothing.
  await a.page.goto("/me");
  await expect(a.page).toHaveURL(/\/signin/);
});
