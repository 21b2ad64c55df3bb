import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "../fixtures/test.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { localDate } from "../../lib/dashboard/dashboard-range.ts";
import type { db } from "../../lib/db.ts";

// A store in Shanghai (UTC+8) with counters written straight into its footfall buckets, as the
// workers leave them: an hour bucket already rolled up and minute buckets not yet.
async function seededStore(testDb: ReturnType<typeof db>) {
  const slug = `dash-${randomUUID().slice(0, 8)}`;
  const store = await testDb.store.create({
    data: {
      slug,
      name: `Dashboard ${slug}`,
      controllerName: "E2E Controller",
      controllerContact: "privacy@e2e.invalid",
      timezone: "Asia/Shanghai",
    },
  });
  const system = { id: null, role: "SYSTEM" };
  const door = (await registerCamera({ storeSlug: slug, name: "Door", actor: system })).cameraId;
  const hall = (await registerCamera({ storeSlug: slug, name: "Hall", actor: system })).cameraId;
  const b = (cameraId: string, size: "MINUTE" | "HOUR", at: string, c: Record<string, number>) =>
    testDb.footfallBucket.create({ data: { storeId: store.id, cameraId, size, bucketStart: new Date(at), ...c } });
  // 01:00 UTC is 09:00 in Shanghai; 16:30 UTC on the 10th is 00:30 on the 11th there.
  await b(door, "HOUR", "2026-03-10T01:00:00Z", {
    entries: 5,
    faces: 40,
    frames: 100,
    maxOccupancy: 3,
    notAnalysed: 4,
    motionSkipped: 30,
    dwellUnder1m: 3,
    dwell5to15m: 1,
    lineIn: 2,
    lineOut: 1,
  });
  await b(door, "MINUTE", "2026-03-10T01:30:00Z", { entries: 2, faces: 6, frames: 10, maxOccupancy: 4 });
  await b(hall, "MINUTE", "2026-03-10T01:05:00Z", { entries: 1, frames: 5, maxOccupancy: 2 });
  await b(hall, "MINUTE", "2026-03-10T16:30:00Z", { entries: 7, frames: 5, maxOccupancy: 5 });
  return store;
}

/** The row of a chart's table for one category, its cells as text (the table opened first). */
async function tableRow(page: Page, chart: string, category: string): Promise<string[]> {
  const figure = page.getByTestId(chart);
  const details = figure.locator("details");
  // A boolean attribute: "" when open, null when closed.
  if ((await details.getAttribute("open")) === null) await figure.locator("summary").click();
  const row = figure.getByRole("row").filter({ has: page.getByRole("rowheader", { name: category, exact: true }) });
  return row.locator("td").allTextContents();
}

test.describe("dashboard", () => {
  test.use({ viewport: { width: 1280, height: 900 } });

  test("charts and their tables show the seeded buckets for the chosen store and dates", async ({
    page,
    loginAs,
    testDb,
  }) => {
    const store = await seededStore(testDb);
    await loginAs("SUPPORT");
    await page.goto("/staff/dashboard");
    const filters = page.getByRole("form", { name: "Store and period" });
    await filters.getByLabel("Store", { exact: true }).selectOption({ label: store.name });
    await filters.getByLabel("From", { exact: true }).fill("2026-03-10");
    await filters.getByLabel("To", { exact: true }).fill("2026-03-10");
    await filters.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/from=2026-03-10&to=2026-03-10/);
    await expect(page.getByRole("heading", { level: 2, name: `People at ${store.name}, Mar 10, 2026` })).toBeVisible();

    // Each chart: a titled figure with a picture described in words, and the numbers as a table.
    for (const id of ["chart-entries", "chart-occupancy", "chart-dwell", "chart-consent", "chart-requests"]) {
      const figure = page.getByTestId(id);
      // The chart's own SVG (visx wraps each axis text in an inner <svg>, presentational inside it).
      const picture = figure.locator("svg.chart-svg");
      await expect(picture).toBeVisible();
      await expect(picture).toHaveAttribute("role", "img");
      await expect(picture).toHaveAccessibleName(await figure.locator("figcaption").innerText());
      await expect(picture).toHaveAccessibleDescription(/\S/);
    }
    await expect(page.getByRole("figure", { name: "Entries per hour" })).toBeVisible();
    await expect(page.getByTestId("chart-entries").locator("svg.chart-svg")).toHaveAccessibleDescription(
      /^8 people entered; the busiest hour began at 09:00, with 8 entries/,
    );
    await expect(
      page.getByTestId("chart-entries").locator("svg text", { hasText: "People entering (count)" }),
    ).toHaveCount(1);
    await expect(
      page.getByTestId("chart-entries").locator("svg text", { hasText: "Hour of the day (store time)" }),
    ).toHaveCount(1);
    expect(await tableRow(page, "chart-entries", "09:00")).toEqual(["8", "46"]);
    expect(await tableRow(page, "chart-entries", "00:00")).toEqual(["0", "0"]);
    // Occupancy: each camera's peak of the hour, added over the store's cameras (4 + 2).
    expect(await tableRow(page, "chart-occupancy", "09:00")).toEqual(["6"]);
    expect(await tableRow(page, "chart-dwell", "under 1 min")).toEqual(["3"]);
    expect(await tableRow(page, "chart-dwell", "5 to 15 min")).toEqual(["1"]);
    await expect(page.getByTestId("not-analysed")).toHaveText("4 (3.4%)");
    await expect(page.getByTestId("motion-skipped")).toHaveText("30 (26.1%)");
    await expect(page.getByTestId("frames")).toContainText("2 in, 1 out");

    // Two days: the next local day's 00:30 crossing the date line of the store's clock.
    await filters.getByLabel("To", { exact: true }).fill("2026-03-11");
    await filters.getByRole("button", { name: "Show" }).click();
    await expect(page).toHaveURL(/to=2026-03-11/);
    expect(await tableRow(page, "chart-entries", "00:00")).toEqual(["7", "0"]);
    expect(await tableRow(page, "chart-consent", "Mar 11")).toEqual(["0", "0"]);

    // The end before the start: said plainly, and today shown instead.
    await page.goto(`/staff/dashboard?store=${store.slug}&from=2026-03-11&to=2026-03-10`);
    await expect(page.locator("main [role=alert]")).toContainText("the end not before the start");
    await expect(filters.getByLabel("From", { exact: true })).toHaveValue(localDate(new Date(), "Asia/Shanghai"));
  });

  test("opens on today in the store's time zone", async ({ page, loginAs, testDb }) => {
    const store = await seededStore(testDb);
    await loginAs("SUPPORT");
    await page.goto(`/staff/dashboard?store=${store.slug}`);
    const today = localDate(new Date(), "Asia/Shanghai");
    await expect(page.getByLabel("From", { exact: true })).toHaveValue(today);
    await expect(page.getByLabel("To", { exact: true })).toHaveValue(today);
    await expect(page.getByText("Days and hours are on the store's clock (Asia/Shanghai).")).toBeVisible();
    await page.screenshot({ path: "test-results/dashboard-today.png", fullPage: true });
  });
});
