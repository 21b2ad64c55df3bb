import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { expect, test } from "../fixtures/test.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { env } from "../../lib/env.ts";
import type { db } from "../../lib/db.ts";

async function storeWithCamera(testDb: ReturnType<typeof db>, keepFrames = false) {
  const slug = `line-${randomUUID().slice(0, 8)}`;
  const store = await testDb.store.create({
    data: {
      slug,
      name: `Line ${slug}`,
      controllerName: "E2E Controller",
      controllerContact: "privacy@e2e.invalid",
      keepFrames,
      frameRetentionDays: keepFrames ? 7 : 0,
    },
  });
  const name = `Gate ${slug}`;
  const { cameraId } = await registerCamera({ storeSlug: slug, name, actor: { id: null, role: "SYSTEM" } });
  return { store, cameraId, name };
}

test.describe("counting line", () => {
  test.use({ viewport: { width: 1280, height: 900 } });

  test("an admin sets the line with the numeric fields or two clicks, and clears it; bad lines are refused", async ({
    page,
    loginAs,
    testDb,
  }) => {
    const { cameraId, name } = await storeWithCamera(testDb);
    await loginAs("ADMIN");
    await page.goto("/staff/cameras");
    await page
      .getByRole("row", { name: new RegExp(name) })
      .getByRole("link", { name: "Counting line" })
      .click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Counting line of ${name}`);
    await expect(page.getByTestId("no-still")).toContainText("No still is available yet");
    await expect(page.getByTestId("current-line")).toContainText("No counting line");

    await page.getByLabel("Start x (%)").fill("10");
    await page.getByLabel("Start y (%)").fill("50");
    await page.getByLabel("End x (%)").fill("90");
    await page.getByLabel("End y (%)").fill("50");
    await page.getByLabel(/Dead band/).fill("4");
    await page.getByRole("button", { name: "Save line" }).click();
    await expect(page.getByRole("status").first()).toHaveText("Counting line saved.");
    await expect(page.getByTestId("current-line")).toHaveText("(10 %, 50 %) → (90 %, 50 %), ± 4 %");
    const saved = async () => (await testDb.camera.findUniqueOrThrow({ where: { id: cameraId } })).countingLine;
    expect(await saved()).toEqual({ x1: 0.1, y1: 0.5, x2: 0.9, y2: 0.5, band: 0.04 });
    expect(await testDb.auditLog.count({ where: { targetId: cameraId, action: "camera.counting_line.set" } })).toBe(1);

    // Two clicks on the still set start and end (the fields stay the accessible way to do it).
    const still = page.getByTestId("still");
    const box = (await still.boundingBox())!;
    await still.click({ position: { x: box.width * 0.2, y: box.height * 0.25 } });
    await expect(page.getByTestId("click-status")).toHaveText("Start set. Click the end point.");
    await still.click({ position: { x: box.width * 0.7, y: box.height * 0.75 } });
    await expect(page.getByTestId("click-status")).toHaveText("End set. Check the numbers, then save.");
    const value = async (label: string) => Number(await page.getByLabel(label).inputValue());
    expect(Math.abs((await value("Start x (%)")) - 20)).toBeLessThan(1);
    expect(Math.abs((await value("Start y (%)")) - 25)).toBeLessThan(1);
    expect(Math.abs((await value("End x (%)")) - 70)).toBeLessThan(1);
    expect(Math.abs((await value("End y (%)")) - 75)).toBeLessThan(1);
    await page.getByRole("button", { name: "Save line" }).click();
    // The saved note is already there from the first save: wait for the page to show the new line.
    await expect(page.getByTestId("current-line")).not.toHaveText("(10 %, 50 %) → (90 %, 50 %), ± 4 %");
    expect(((await saved()) as { x2: number }).x2).toBeCloseTo(0.7, 1);

    // Shorter than 5 % of the frame: refused with the reason, nothing changes.
    const before = await saved();
    await page.getByLabel("Start x (%)").fill("50");
    await page.getByLabel("Start y (%)").fill("50");
    await page.getByLabel("End x (%)").fill("51");
    await page.getByLabel("End y (%)").fill("50");
    await page.getByRole("button", { name: "Save line" }).click();
    await expect(page.locator("main [role=alert]")).toContainText("longer than 5 %");
    expect(await saved()).toEqual(before);

    // The same rules through the JSON handler: a clear 400, 404 for an unknown camera.
    const url = `/api/staff/cameras/${cameraId}/counting-line`;
    const bad = await page.request.put(url, { data: { x1: 0.1, y1: 0.5, x2: 1.5, y2: 0.5, band: 0.03 } });
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "invalid_input" });
    expect(
      (await page.request.put(url, { data: "not json", headers: { "content-type": "text/plain" } })).status(),
    ).toBe(400);
    expect(
      (
        await page.request.put("/api/staff/cameras/cam_nope/counting-line", { data: { x1: 0, y1: 0, x2: 1, y2: 1 } })
      ).status(),
    ).toBe(404);
    const put = await page.request.put(url, { data: { x1: 0, y1: 0.5, x2: 1, y2: 0.5 } });
    expect(put.status()).toBe(200);
    expect(await put.json()).toEqual({ cameraId, countingLine: { x1: 0, y1: 0.5, x2: 1, y2: 0.5, band: 0.03 } });
    expect(await saved()).toEqual({ x1: 0, y1: 0.5, x2: 1, y2: 0.5, band: 0.03 });

    await page.reload();
    await page.getByRole("button", { name: "Remove line" }).click();
    await expect(page.getByRole("status").first()).toHaveText("Counting line removed.");
    await expect(page.getByTestId("current-line")).toContainText("No counting line");
    expect(await saved()).toBeNull();
    expect(await testDb.auditLog.count({ where: { targetId: cameraId, action: "camera.counting_line.clear" } })).toBe(
      1,
    );
  });

  test("the still is the latest blurred stored frame, for admins only", async ({ page, loginAs, testDb }) => {
    const { store, cameraId } = await storeWithCamera(testDb, true);
    const dir = path.join(env().DATA_DIR, "frames", store.id);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${randomUUID()}.jpg`);
    await writeFile(
      file,
      await sharp({ create: { width: 640, height: 360, channels: 3, background: "#4a6" } })
        .jpeg()
        .toBuffer(),
    );
    await testDb.storedFrame.create({
      data: {
        storeId: store.id,
        cameraId,
        path: file,
        capturedAt: new Date(),
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    await loginAs("ADMIN");
    await page.goto(`/staff/cameras/${cameraId}`);
    const img = page.getByRole("img", { name: /every face blurred/ });
    await expect(img).toBeVisible();
    await expect(page.getByTestId("no-still")).toHaveCount(0);
    const still = await page.request.get(`/api/staff/cameras/${cameraId}/still`);
    expect(still.status()).toBe(200);
    expect(still.headers()["content-type"]).toBe("image/jpeg");
    expect(still.headers()["cache-control"]).toContain("no-store");
  });

  test("support staff and signed-out callers cannot see or change a counting line", async ({
    page,
    loginAs,
    testDb,
    request,
  }) => {
    const { cameraId } = await storeWithCamera(testDb);
    const line = { x1: 0.1, y1: 0.5, x2: 0.9, y2: 0.5, band: 0.03 };
    expect((await request.put(`/api/staff/cameras/${cameraId}/counting-line`, { data: line })).status()).toBe(401);
    await loginAs("SUPPORT");
    await page.goto(`/staff/cameras/${cameraId}`);
    await expect(page.locator("main [role=alert]")).toHaveText("Only administrators can do this.");
    await expect(page.getByLabel("Start x (%)")).toHaveCount(0);
    const api = `/api/staff/cameras/${cameraId}`;
    expect((await page.request.put(`${api}/counting-line`, { data: line })).status()).toBe(403);
    expect((await page.request.delete(`${api}/counting-line`)).status()).toBe(403);
    expect((await page.request.get(`${api}/still`)).status()).toBe(403);
    expect((await testDb.camera.findUniqueOrThrow({ where: { id: cameraId } })).countingLine).toBeNull();
  });
});
