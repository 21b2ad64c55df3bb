// retention.sweep through BullMQ on real Redis and PostgreSQL, one case per kind of data: each kind
// has one row past its retention and one within it. The schedulers' own start-up sweep is waited
// for first, so the counts this job returns are exactly the rows this test made: its own job did
// the work.
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db.ts";
import { env } from "../../lib/env.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { grantConsent } from "../../lib/consent/grant-consent.ts";
import { sealTemplate } from "../../lib/templates/template-codec.ts";
import { existingPseudonym } from "../../lib/subjects/pseudonym.ts";
import { startMaintenanceWorker, type MaintenanceWorker } from "../../tests/maintenance-worker.ts";
import { enqueue } from "../../lib/jobs/queues.ts";

const DAY = 86_400_000;
let worker: MaintenanceWorker | undefined;

beforeAll(async () => {
  // Only the maintenance queue: this test is about the sweep, not the vision models.
  worker = await startMaintenanceWorker();
});

afterAll(async () => {
  await worker?.stop();
});

function file(kind: string): string {
  const f = path.join(env().DATA_DIR, kind, `${randomUUID()}.bin`);
  mkdirSync(path.dirname(f), { recursive: true });
  writeFileSync(f, "x");
  return f;
}

describe("retention.sweep through BullMQ", () => {
  it("deletes each kind past its retention, keeps what is within it, and reports exactly what it did", async () => {
    const now = Date.now();
    const store = await makeStore();
    await db().store.update({
      where: { id: store.id },
      data: { visitRetentionDays: 30, keepFrames: true, frameRetentionDays: 7 },
    });
    const user = await makeUser();
    const id = `sweep-${randomUUID()}@test.invalid`;
    await db().verificationToken.createMany({
      data: [
        { identifier: id, token: `expired-${id}`, expires: new Date(now - 60_000) },
        { identifier: id, token: `valid-${id}`, expires: new Date(now + 3_600_000) },
      ],
    });
    await db().session.createMany({
      data: [
        { sessionToken: `old-${id}`, userId: user.id, expires: new Date(now - 60_000) },
        { sessionToken: `live-${id}`, userId: user.id, expires: new Date(now + 3_600_000) },
      ],
    });
    // Retention counts from the end of a stay: one that began 31 days ago but lasted is kept.
    const visit = (fromDays: number, untilDays: number) => ({
      id: randomUUID(),
      userId: user.id,
      storeId: store.id,
      firstSeenAt: new Date(now - fromDays * DAY),
      lastSeenAt: new Date(now - untilDays * DAY),
      cameraIds: ["cam"],
      score: 0.9,
    });
    const [oldVisit, recentVisit] = [visit(32, 31), visit(31, 29)];
    await db().visit.createMany({ data: [oldVisit, recentVisit] });
    const [oldExport, liveExport] = [file("exports"), file("exports")];
    const request = (exportPath: string, expiresIn: number) => ({
      userId: user.id,
      storeId: store.id,
      kind: "ACCESS" as const,
      status: "COMPLETED" as const,
      dueAt: new Date(now),
      exportPath,
      exportExpiresAt: new Date(now + expiresIn),
    });
    const oldReq = await db().dataRequest.create({ data: request(oldExport, -60_000) });
    const liveReq = await db().dataRequest.create({ data: request(liveExport, 7 * DAY) });
    const [oldFrame, liveFrame] = [file("frames"), file("frames")];
    const frame = (p: string, expiresIn: number) => ({
      storeId: store.id,
      cameraId: "cam",
      path: p,
      capturedAt: new Date(now),
      expiresAt: new Date(now + expiresIn),
    });
    await db().storedFrame.createMany({ data: [frame(oldFrame, -60_000), frame(liveFrame, DAY)] });
    // Templates: unused for 3 years and a day (the default maximum, 1095 days) and for 3 years less a day.
    const [stale, fresh] = [await makeUser(), await makeUser()];
    for (const [u, days] of [
      [stale, 1096],
      [fresh, 1094],
    ] as const) {
      await grantConsent({ userId: u.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
      await db().faceTemplate.create({
        data: {
          userId: u.id,
          status: "ENROLLED",
          ...sealTemplate(u.id, new Float32Array(512).fill(0.04)),
          modelVersion: "test",
          lastUsedAt: new Date(now - days * DAY),
        },
      });
    }

    const job = await enqueue("retention.sweep", {});
    expect(await job.waitUntilFinished(worker!.events, 30_000)).toEqual({
      verificationTokens: 1,
      sessions: 1,
      visits: 1,
      exports: 1,
      frames: 1,
      templates: 1,
    });

    expect((await db().verificationToken.findMany({ where: { identifier: id } })).map((t) => t.token)).toEqual([
      `valid-${id}`,
    ]);
    expect((await db().session.findMany({ where: { userId: user.id } })).map((s) => s.sessionToken)).toEqual([
      `live-${id}`,
    ]);
    expect((await db().visit.findMany({ where: { userId: user.id } })).map((v) => v.id)).toEqual([recentVisit.id]);
    expect(await db().dataRequest.findUniqueOrThrow({ where: { id: oldReq.id } })).toMatchObject({ exportPath: null });
    expect(await db().dataRequest.findUniqueOrThrow({ where: { id: liveReq.id } })).toMatchObject({
      exportPath: liveExport,
    });
    expect([existsSync(oldExport), existsSync(liveExport)]).toEqual([false, true]);
    expect((await db().storedFrame.findMany({ where: { storeId: store.id } })).map((f) => f.path)).toEqual([liveFrame]);
    expect([existsSync(oldFrame), existsSync(liveFrame)]).toEqual([false, true]);
    expect(
      (await db().faceTemplate.findMany({ where: { userId: { in: [stale.id, fresh.id] } } })).map((t) => t.userId),
    ).toEqual([fresh.id]);
    // Deleted through the one template-deletion use case: audited like a shopper's own deletion.
    const subject = await existingPseudonym(stale.id);
    const audited = await db().auditLog.findMany({ where: { subject: subject!, action: "template.delete" } });
    expect(audited.map((a) => [a.actorRole, (a.details as { reason?: string }).reason])).toEqual([
      ["SYSTEM", "retention"],
    ]);
  });

  it("refuses a payload that breaks the contract before it reaches Redis", async () => {
    await expect(enqueue("retention.sweep", { userEmail: "x" } as never)).rejects.toThrow();
  });
});
