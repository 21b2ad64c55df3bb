// Erasure against the shopper's own jobs: an export a worker is running is waited for (and its
// file then deleted); queued export and enrolment jobs are cancelled; an export or enrolment that
// runs once the erasure is approved writes nothing. Real BullMQ, real database, no sleeps.
import { existsSync } from "node:fs";
import path from "node:path";
import { Worker, type Job } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "../db.ts";
import { closeRedis, createRedis } from "../redis.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { until } from "../../tests/until.ts";
import { facesDir } from "../../tests/faces.ts";
import { grantConsent } from "../consent/grant-consent.ts";
import { submitRequest } from "../requests/submit-request.ts";
import { approveRequest } from "../requests/approve-request.ts";
import { buildExport } from "../requests/build-export.ts";
import { burstOf, enrolAtKiosk } from "../../tests/kiosk.ts";
import { checkInWithToken } from "../../tests/presence.ts";
import { bullPrefix, closeQueues, queue } from "../jobs/queues.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";
import { eraseSubject } from "./erase-subject.ts";
import { scanLeftovers } from "./scan-leftovers.ts";

const workers: Worker[] = [];
afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await closeQueues();
  await closeRedis();
  await disconnectDb();
});

async function shopper() {
  const store = await makeStore();
  const user = await makeUser();
  const staff = await makeUser("SUPPORT");
  await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
  return { store, user, staff: { id: staff.id, role: "SUPPORT" } };
}

describe("erasure and the shopper's in-flight jobs", () => {
  it("waits for an export a worker is running before deleting anything; the export then writes nothing; nothing of the shopper is left", async () => {
    const { store, user, staff } = await shopper();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    // A worker whose export holds until the test lets it go; other jobs of the queue are not its business.
    const worker = new Worker(
      "requests",
      async (job: Job) => {
        if (job.name !== "request.export") return { status: "ignored" };
        started();
        await gate;
        return buildExport(job.data.requestId);
      },
      { connection: createRedis("worker"), prefix: bullPrefix(), concurrency: 2 },
    );
    workers.push(worker);
    try {
      const access = await submitRequest({ userId: user.id, storeSlug: store.slug, kind: "ACCESS" });
      await running;
      const erasure = await submitRequest({ userId: user.id, storeSlug: store.slug, kind: "ERASURE" });
      await approveRequest({ requestId: erasure.id, actor: staff });
      const erasing = eraseSubject(erasure.id);

      const exportJob = `request.export-${access.id}`;
      await until("the erasure to record that it waits for the running export", async () => {
        const r = await db().dataRequest.findUniqueOrThrow({ where: { id: erasure.id } });
        return (r.receipt as { waitingFor?: string } | null)?.waitingFor === exportJob;
      });
      // While it waits nothing is deleted yet.
      expect(await db().user.count({ where: { id: user.id } })).toBe(1);
      release();

      const done = await erasing;
      expect(done.status).toBe("COMPLETED");
      expect(done.receipt!.deleted).toMatchObject({ jobsCancelled: 0, users: 1 });
      // The export, let go after the approval, saw the erasure and wrote no file.
      const job = await queue("requests").getJob(exportJob);
      expect(job?.returnvalue ?? { status: "skipped" }).toEqual({ status: "skipped" });
      expect(await db().dataRequest.findUniqueOrThrow({ where: { id: access.id } })).toMatchObject({
        status: "CANCELLED",
        exportPath: null,
        userId: null,
      });
      expect(existsSync(path.join(process.env.DATA_DIR ?? ".data", "exports", `${access.id}.json`))).toBe(false);
      expect((await scanLeftovers({ userId: user.id, email: user.email })).hits).toEqual([]);
    } finally {
      await worker.close();
    }
  });

  it("cancels queued export and enrolment jobs, and an export or enrolment after approval writes nothing", async () => {
    const { store, user, staff } = await shopper();
    const access = await submitRequest({ userId: user.id, storeSlug: store.slug, kind: "ACCESS" });
    await checkInWithToken({ userId: user.id, storeSlug: store.slug });
    const { enrolmentId } = await enrolAtKiosk({
      userId: user.id,
      storeSlug: store.slug,
      frames: await burstOf(path.join(facesDir(), "verification", "faceapi_amy"), 3),
    });
    const enrolJob = await queue("enrolment").getJob(`enrol.kiosk-${enrolmentId}`);
    // The job names only the kiosk enrolment row, never the shopper.
    expect(JSON.stringify(enrolJob!.data)).not.toContain(user.id);
    expect(enrolJob!.data).toEqual({ enrolmentId });
    const template = await db().faceTemplate.findUniqueOrThrow({ where: { userId: user.id } });

    const erasure = await submitRequest({ userId: user.id, storeSlug: store.slug, kind: "ERASURE" });
    await approveRequest({ requestId: erasure.id, actor: staff });
    // An export that runs now (a worker picking up the queued job) writes no file.
    expect(await buildExport(access.id)).toEqual({ status: "skipped" });
    expect(await db().dataRequest.findUniqueOrThrow({ where: { id: access.id } })).toMatchObject({
      status: "CANCELLED",
      exportPath: null,
    });

    const done = await eraseSubject(erasure.id);
    expect(done.status).toBe("COMPLETED");
    expect(done.receipt!.deleted.jobsCancelled).toBe(2);
    expect(await queue("requests").getJob(`request.export-${access.id}`)).toBeUndefined();
    expect(await queue("enrolment").getJob(`enrol.kiosk-${enrolmentId}`)).toBeUndefined();
    expect(await existingPseudonym(user.id)).toBeNull();
    expect((await scanLeftovers({ userId: user.id, email: user.email, templateId: template.id })).hits).toEqual([]);
  });
});
