import { createHash, createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "../fixtures/test.ts";
import { facesDir } from "../../tests/faces.ts";

const FACES = facesDir();
const PATH = "/api/ingest/frames";

function sign(secret: string, ts: string, body: Buffer) {
  const digest = createHash("sha256").update(body).digest("hex");
  return `v1=${createHmac("sha256", secret).update(`POST\n${PATH}\n${ts}\n${digest}`).digest("hex")}`;
}

test.describe("cameras", () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test("an admin registers a camera, which then posts signed frames; bad requests get clear 4xx", async ({
    page,
    loginAs,
    request,
  }) => {
    await loginAs("ADMIN");
    await page.goto("/staff");
    await page.getByRole("link", { name: "Cameras" }).click();
    await page.getByLabel("Name").fill("E2E entrance");
    await page.getByRole("button", { name: "Register camera" }).click();
    const shown = page.getByTestId("camera-secret");
    await expect(shown).toContainText("shown only once");
    const [cameraId, secret] = (await shown.locator("code").allTextContents()) as [string, string];
    expect(cameraId).toMatch(/^cam_/);

    const body = readFileSync(path.join(FACES, "detection", "dlib_2008_001009.jpg"));
    const post = (headers: Record<string, string>, data: Buffer | string = body) =>
      request.post(PATH, { headers, data });
    const ts = () => String(Math.floor(Date.now() / 1000));
    const good = (t = ts(), b = body) => ({
      "content-type": "image/jpeg",
      "x-veil-camera": cameraId,
      "x-veil-timestamp": t,
      "x-veil-signature": sign(secret, t, b),
    });

    const accepted = await post(good());
    expect(accepted.status()).toBe(202);
    expect(await accepted.json()).toHaveProperty("frameId");

    // Offsets well apart from each other and from the first post's second: two posts that fell in the
    // same second with the same body would carry the same signature and be refused as a replay.
    const t1 = String(Number(ts()) - 10);
    const replayHeaders = good(t1);
    expect((await post(replayHeaders)).status()).toBe(202);
    const replay = await post(replayHeaders);
    expect(replay.status()).toBe(409);
    expect(await replay.json()).toMatchObject({ error: "replayed" });

    expect((await post({ ...good(), "x-veil-signature": "v1=" + "0".repeat(64) })).status()).toBe(401);
    expect((await post({ ...good(), "content-type": "image/png" })).status()).toBe(415);
    const stale = String(Number(ts()) - 120);
    expect(await (await post(good(stale))).json()).toMatchObject({ error: "bad_signature" });
    const notJpeg = Buffer.from("x".repeat(500));
    const t2 = String(Number(ts()) - 20);
    expect((await post(good(t2, notJpeg), notJpeg)).status()).toBe(400);
    const huge = Buffer.alloc(2 * 1024 * 1024 + 10, 1);
    const big = await post(good(ts(), huge), huge);
    expect(big.status()).toBe(413);

    await page
      .getByRole("row", { name: /E2E entrance/ })
      .getByRole("button", { name: "Disable" })
      .click();
    await expect(page.getByRole("row", { name: /E2E entrance/ })).toContainText("disabled");
    const t3 = String(Number(ts()) - 30);
    expect((await post(good(t3))).status()).toBe(403);
  });

  test("support staff cannot do an admin's work", async ({ page, loginAs }) => {
    await loginAs("SUPPORT");
    await page.goto("/staff");
    await expect(page.getByRole("link", { name: "Cameras" })).toHaveCount(0);
    await page.goto("/staff/cameras");
    await expect(page.locator("main [role=alert]")).toHaveText("Only administrators can do this.");
    await page.goto("/staff/stores");
    await expect(page.locator("main [role=alert]")).toHaveText("Only administrators can do this.");
  });
});
