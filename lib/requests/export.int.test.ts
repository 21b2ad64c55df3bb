// The access export (GDPR art. 15) of a shopper who has data of every kind, against the real
// database: everything held is in the archive, the face template is described and never copied,
// and the file is the shopper's only, for exactly EXPORT_DAYS.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { isAppError } from "../errors/app-error.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { grantConsent } from "../consent/grant-consent.ts";
import { revokeConsent } from "../consent/revoke-consent.ts";
import { checkInWithToken } from "../../tests/presence.ts";
import { sealTemplate } from "../templates/template-codec.ts";
import { queue } from "../jobs/queues.ts";
import { buildExport, EXPORT_DAYS } from "./build-export.ts";
import { readExport } from "./read-export.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";
import { submitRequest } from "./submit-request.ts";

const DAY = 86_400_000;

describe("access export", () => {
  it("holds every consent, consent event, visit with its attributes, check-in and request; describes the template without copying it; expires after 7 days", async () => {
    const store = await makeStore();
    const user = await makeUser();
    await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
    await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "demographics", noticeVersion: 1 });
    await revokeConsent({ userId: user.id, storeSlug: store.slug, purpose: "demographics", noticeVersion: 1 });
    const embedding = new Float32Array(512).map((_, i) => Math.sin(i) / 16);
    const sealed = sealTemplate(user.id, embedding);
    await db().faceTemplate.create({
      data: { userId: user.id, status: "ENROLLED", ...sealed, modelVersion: "test-model" },
    });
    const seen = [new Date(Date.now() - 2 * DAY), new Date(Date.now() - DAY)];
    const door = await db().camera.create({
      data: { storeId: store.id, name: "Door", secretCiphertext: new Uint8Array([1]), secretKeyId: "k" },
    });
    await db().visit.createMany({
      data: [
        {
          userId: user.id,
          storeId: store.id,
          firstSeenAt: seen[0]!,
          lastSeenAt: new Date(seen[0]!.getTime() + 7 * 60_000),
          cameraIds: [door.id, "cam_gone"],
          sightings: 12,
          score: 0.91,
          ageBand: "25-34",
          gender: "female",
        },
        {
          userId: user.id,
          storeId: store.id,
          firstSeenAt: seen[1]!,
          lastSeenAt: seen[1]!,
          cameraIds: [door.id],
          score: 0.88,
        },
      ],
    });
    const visit = await checkInWithToken({ userId: user.id, storeSlug: store.slug });
    const request = await submitRequest({ userId: user.id, storeSlug: store.slug, kind: "ACCESS" });
    // No worker runs here: the test builds the export itself, and leaves no job for later files.
    await (await queue("requests").getJob(`request.export-${request.id}`))?.remove();

    const now = new Date();
    expect(await buildExport(request.id, now)).toEqual({ status: "COMPLETED" });
    const done = await db().dataRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(done.status).toBe("COMPLETED");
    expect(done.exportExpiresAt!.getTime() - now.getTime()).toBe(EXPORT_DAYS * DAY);
    expect(EXPORT_DAYS).toBe(7);

    const raw = (await readExport(user.id, request.id, now)).toString("utf8");
    const archive = JSON.parse(raw);
    expect(archive.account).toMatchObject({ id: user.id, email: user.email });
    expect(
      archive.consentState.map((s: { purpose: string; status: string }) => `${s.purpose}:${s.status}`).sort(),
    ).toEqual(["demographics:REVOKED", "recognition:GRANTED"]);
    const events = await db().consentEvent.findMany({
      where: { subject: (await existingPseudonym(user.id))! },
      orderBy: { id: "asc" },
    });
    expect(events).toHaveLength(3);
    expect(
      archive.consentHistory.map((e: { action: string; purpose: string; hash: string }) => [
        e.purpose,
        e.action,
        e.hash,
      ]),
    ).toEqual(events.map((e) => [e.purposeCode, e.action, e.hash]));
    expect(archive.visits).toEqual([
      {
        store: store.slug,
        from: seen[1]!.toISOString(),
        until: seen[1]!.toISOString(),
        cameras: [{ id: door.id, name: "Door" }],
        sightings: 1,
        ageBand: null,
        gender: null,
      },
      {
        store: store.slug,
        from: seen[0]!.toISOString(),
        until: new Date(seen[0]!.getTime() + 7 * 60_000).toISOString(),
        // a camera removed since the stay is named by its id
        cameras: [
          { id: door.id, name: "Door" },
          { id: "cam_gone", name: "cam_gone" },
        ],
        sightings: 12,
        ageBand: "25-34",
        gender: "female",
      },
    ]);
    expect(archive.checkIns).toEqual([
      { store: store.id, from: visit.startedAt.toISOString(), until: visit.expiresAt.toISOString() },
    ]);
    expect(archive.requests.map((r: { id: string; kind: string }) => [r.id, r.kind])).toEqual([[request.id, "ACCESS"]]);
    expect(archive.retention).toEqual({
      visitsDays: store.visitRetentionDays,
      templateMaxDays: store.templateMaxDays,
      exportsDays: 7,
    });

    // The template: its status and dates, never the sealed bytes nor the embedding.
    expect(Object.keys(archive.faceTemplate).sort()).toEqual([
      "createdAt",
      "keyId",
      "lastUsedAt",
      "modelVersion",
      "note",
      "rejectReason",
      "status",
      "updatedAt",
    ]);
    expect(archive.faceTemplate).toMatchObject({ status: "ENROLLED", modelVersion: "test-model" });
    const ciphertext = Buffer.from(sealed.ciphertext);
    for (const form of [
      ciphertext.toString("base64"),
      ciphertext.toString("hex"),
      ciphertext.subarray(0, 24).toString("base64"),
      JSON.stringify(Array.from(ciphertext.subarray(0, 8))),
    ]) {
      expect(raw.includes(form.slice(0, 24)), `export contains template bytes (${form.slice(0, 12)}…)`).toBe(false);
    }
    expect(raw).not.toContain(String(embedding[1]));

    // Only the shopper, and only until it expires.
    const other = await makeUser();
    expect(isAppError(await readExport(other.id, request.id, now).catch((e) => e), "not_found")).toBe(true);
    const lastMoment = new Date(done.exportExpiresAt!.getTime() - 1);
    await expect(readExport(user.id, request.id, lastMoment)).resolves.toBeInstanceOf(Buffer);
    expect(isAppError(await readExport(user.id, request.id, done.exportExpiresAt!).catch((e) => e), "not_found")).toBe(
      true,
    );
    expect(readFileSync(done.exportPath!, "utf8")).toBe(raw);
  });

  it("a refusal committed while the export job was starting wins: the request stays refused, no file is made", async () => {
    const store = await makeStore();
    const user = await makeUser();
    const r = await submitRequest({ userId: user.id, storeSlug: store.slug, kind: "ACCESS" });
    await (await queue("requests").getJob(`request.export-${r.id}`))?.remove();
    // Staff's refusal holds the row (as rejectRequest does) while the job reads it and tries to start.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const refusal = db().$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "DataRequest" WHERE id = ${r.id} FOR UPDATE`;
        locked();
        await held;
        await tx.dataRequest.update({
          where: { id: r.id },
          data: { status: "REJECTED", rejectionReason: "not the account holder", completedAt: new Date() },
        });
      },
      { timeout: 20_000 },
    );
    await isLocked;
    const exporting = buildExport(r.id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    release();
    await refusal;
    expect(await exporting).toEqual({ status: "skipped" });
    expect(await db().dataRequest.findUniqueOrThrow({ where: { id: r.id } })).toMatchObject({
      status: "REJECTED",
      exportPath: null,
    });
  });
});
