// Test fixture: a shopper enrolled from one photo of an identity folder, with recognition granted
// and checked in at the store, plus a JPEG of another photo of the same person to show a camera.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { db } from "../lib/db.ts";
import { grantConsent } from "../lib/consent/grant-consent.ts";
import { checkInWithToken } from "./presence.ts";
import { sealTemplate } from "../lib/templates/template-codec.ts";
import * as v from "../workers/vision/index.ts";
import { makeUser } from "./fixtures.ts";

export async function checkedInShopper(storeSlug: string, identityDir: string) {
  const shopper = await makeUser();
  const [enrolFile, probeFile] = readdirSync(identityDir).sort();
  const img = await v.decodeImage(readFileSync(path.join(identityDir, enrolFile!)));
  const box = (await v.detectFaces(img))[0]!;
  const embedding = await v.embedAligned(img, await v.facePoints(img, box));
  await db().faceTemplate.create({
    data: {
      userId: shopper.id,
      status: "ENROLLED",
      ...sealTemplate(shopper.id, embedding),
      modelVersion: v.MODEL_VERSION,
    },
  });
  await grantConsent({ userId: shopper.id, storeSlug, purpose: "recognition", noticeVersion: 1 });
  await checkInWithToken({ userId: shopper.id, storeSlug });
  const probe = await sharp(readFileSync(path.join(identityDir, probeFile!)))
    .jpeg()
    .toBuffer();
  return { shopper, probe };
}
