import path from "node:path";
import { expect, signInShopper, test } from "../fixtures/test.ts";
import { facesDir } from "../../tests/faces.ts";
import { presenceUrl } from "../../tests/presence.ts";

const FACES = facesDir();

test("a consenting shopper enrols a selfie, checks in, and deletes the template", async ({ page, mailbox }) => {
  await signInShopper(page, mailbox, "selfie");

  await expect(page.getByText("Allow “Recognise me” first to enrol a selfie.")).toBeVisible();
  await page.getByTestId("toggle-recognition").click();
  await expect(page.getByTestId("status-recognition")).toHaveText("Allowed");

  await page
    .getByLabel("Selfie photo")
    .setInputFiles(path.join(FACES, "verification", "faceapi_leonard", "leonard2.png"));
  await page.getByRole("button", { name: "Send selfie" }).click();
  await expect(page.getByRole("status")).toContainText("Selfie received");
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("template-status")).toHaveText("Enrolled", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });

  // No check-in without the entrance display's QR code: the page only says to scan it.
  await expect(page.getByTestId("presence-scan")).toHaveText(
    "To check in, scan the QR code on the store's entrance display with your phone.",
  );
  await page.goto(await presenceUrl("demo"));
  await page.getByTestId("here-check-in").click();
  await expect(page.getByTestId("presence-status")).toContainText("Checked in until");
  await page.getByTestId("presence-toggle").click();
  await expect(page.getByTestId("presence-status")).toHaveText("Not checked in.");

  await page.getByTestId("template-delete").click();
  await expect(page.getByRole("status")).toHaveText("Your template was deleted.");
  await expect(page.getByTestId("template-status")).toHaveText("No template");
});

test("a photo with no face is rejected with a reason the shopper can act on", async ({ page, mailbox }) => {
  await signInShopper(page, mailbox, "noface");
  await page.getByTestId("toggle-recognition").click();
  await page.getByLabel("Selfie photo").setInputFiles(path.join(FACES, "detection", "neg_opencv_orange.jpg"));
  await page.getByRole("button", { name: "Send selfie" }).click();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("template-status")).toHaveText("Not accepted", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.locator("#template")).toContainText("We could not find a face");
});
