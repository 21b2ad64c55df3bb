// The whole journey for two shoppers at once, through the real workers (vision, enrolment, export,
// erasure): grant both purposes, check in, enrol at the kiosk, be recognised by a camera, get a copy of
// one's data, withdraw demographics, and (A only) be erased while B carries on. Then the leftover
// scanner finds nothing of A anywhere (the pseudonym only in the audit log, where it names no one)
// and everything of B intact, and the audit chain verifies.
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { QueueEvents } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../lib/db.ts";
import { createRedis } from "../lib/redis.ts";
import { makeStore, makeUser } from "../tests/fixtures.ts";
import { facesDir } from "../tests/faces.ts";
import { registerCamera } from "../lib/cameras/register-camera.ts";
import { sendFrame } from "../tests/send-frame.ts";
import { grantConsent } from "../lib/consent/grant-consent.ts";
import { revokeConsent } from "../lib/consent/revoke-consent.ts";
import { checkInWithToken } from "../tests/presence.ts";
import { burstOf, enrolAtKiosk } from "../tests/kiosk.ts";
import { submitRequest } from "../lib/requests/submit-request.ts";
import { approveRequest } from "../lib/requests/approve-request.ts";
import { existingPseudonym } from "../lib/subjects/pseudonym.ts";
import { remainsOf, whereIs } from "../tests/erased-subject.ts";
import { verifyAuditChain } from "../lib/audit/verify-audit-chain.ts";
import { bullPrefix } from "../lib/jobs/queues.ts";
import { startWorkers } from "./main.ts";

const faces = facesDir();
let stop: () => Promise<void>;
const events: Record<string, QueueEvents> = {};

beforeAll(async () => {
  for (const q of ["frames", "enrolment", "requests"]) {
    events[q] = new QueueEvents(q, { connection: createRedis("worker"), prefix: bullPrefix() });
    await events[q].waitUntilReady();
  }
  stop = await startWorkers({ queues: ["frames", "enrolment", "requests"] });
}, 120_000);

afterAll(async () => {
  await stop?.();
  await Promise.all(Object.values(events).map((e) => e.close()));
});

/** BullMQ's word that the job finished, with its result (the job may finish before we listen). */
async function finished(queue: string, jobId: string): Promise<Record<string, unknown>> {
  const { Job } = await import("bullmq");
  const { queue: q } = await import("../lib/jobs/queues.ts");
  const job = await Job.fromId(q(queue as "frames"), jobId);
  if (!job) throw new Error(`no job ${jobId}`);
  const value = await job.waitUntilFinished(events[queue]!, 45_000);
  return (typeof value === "string" ? JSON.parse(value) : value) as Record<string, unknown>;
}

const jpeg = (file: string) => sharp(readFileSync(file)).jpeg({ quality: 92 }).toBuffer();

describe("the whole journey, shopper A erased while shopper B carries on", () => {
  it("leaves nothing of A anywhere and everything of B, and the audit chain verifies", async () => {
    const store = await makeStore();
    await db().store.update({ where: { id: store.id }, data: { keepFrames: true, frameRetentionDays: 1 } });
    const staffUser = await makeUser("SUPPORT");
    const staff = { id: staffUser.id, role: "SUPPORT" };

    const journey = async (identity: string) => {
      // A camera each: two shoppers shown at the same spot of one camera moments apart would be one
      // anonymous track to the tracker (recognition is per track).
      const camera = await registerCamera({
        storeSlug: store.slug,
        name: identity,
        actor: { id: null, role: "SYSTEM" },
      });
      const user = await makeUser();
      const dir = path.join(faces, "verification", identity);
      const probePhoto = readdirSync(dir).sort()[4];
      await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
      await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "demographics", noticeVersion: 1 });
      await checkInWithToken({ userId: user.id, storeSlug: store.slug });
      const { enrolmentId } = await enrolAtKiosk({
        userId: user.id,
        storeSlug: store.slug,
        frames: await burstOf(dir, 3),
      });
      expect(await finished("enrolment", `enrol.kiosk-${enrolmentId}`)).toEqual({ status: "ENROLLED" });
      const probe = await jpeg(path.join(dir, probePhoto!));
      const frameId = await sendFrame(camera, probe);
      expect(await finished("frames", `frame.analyze-${frameId}`)).toMatchObject({ status: "analyzed", matched: 1 });
      const visit = await db().visit.findFirstOrThrow({ where: { userId: user.id } });
      expect(visit.ageBand).not.toBeNull();
      const access = await submitRequest({ userId: user.id, storeSlug: store.slug, kind: "ACCESS" });
      expect(await finished("requests", `request.export-${access.id}`)).toEqual({ status: "COMPLETED" });
      const exportPath = (await db().dataRequest.findUniqueOrThrow({ where: { id: access.id } })).exportPath!;
      expect(readFileSync(exportPath, "utf8")).toContain(user.email!);
      const [revoked] = await revokeConsent({
        userId: user.id,
        storeSlug: store.slug,
        purpose: "demographics",
        noticeVersion: 1,
      });
      expect(revoked!.effects).toEqual({ visitsDeleted: 0, demographicsCleared: 1 });
      const template = await db().faceTemplate.findUniqueOrThrow({ where: { userId: user.id } });
      return {
        camera,
        user,
        enrolmentId,
        probe,
        exportPath,
        templateId: template.id,
        pseudonym: (await existingPseudonym(user.id))!,
      };
    };
    const [a, b] = await Promise.all([journey("faceapi_amy"), journey("faceapi_penny")]);

    // A asks for erasure and support approves; B is recognised again meanwhile.
    const erasure = await submitRequest({ userId: a.user.id, storeSlug: store.slug, kind: "ERASURE" });
    await approveRequest({ requestId: erasure.id, actor: staff });
    const [erased] = await Promise.all([
      finished("requests", `request.erase-${erasure.id}`),
      (async () => {
        // At another camera: B's first track there may still be within the same 2 s visit slot.
        const till = await registerCamera({ storeSlug: store.slug, name: "Till", actor: { id: null, role: "SYSTEM" } });
        const frameId = await sendFrame(till, b.probe);
        expect(await finished("frames", `frame.analyze-${frameId}`)).toMatchObject({ status: "analyzed", matched: 1 });
      })(),
    ]);
    expect(erased).toMatchObject({ status: "COMPLETED" });

    // Nothing of A: every table, every Redis key under the prefix, every file under DATA_DIR.
    expect(
      await remainsOf({ userId: a.user.id, email: a.user.email, pseudonym: a.pseudonym, templateId: a.templateId }),
    ).toEqual({ linked: [], keylessTrails: 1, subjectKeys: 0 }); // the trail, keyless: it names no one
    // What remains of the request: a tombstone and a request row that lead to nobody.
    const tomb = await db().erasureTombstone.findUniqueOrThrow({ where: { requestId: erasure.id } });
    expect(JSON.stringify(tomb)).not.toContain(a.pseudonym);
    expect(tomb.receipt).toMatchObject({ remaining: { postgresRows: 0, redisKeys: 0, files: 0 } });

    // Everything of B, where it belongs.
    const { where, missingTables } = await whereIs({
      userId: b.user.id,
      email: b.user.email,
      pseudonym: b.pseudonym,
      templateId: b.templateId,
    });
    expect(missingTables).toEqual([]);
    expect(where).toContain(`file:${path.relative(path.resolve(process.env.DATA_DIR ?? ".data"), b.exportPath)}`);
    expect(readFileSync(b.exportPath, "utf8")).toContain(b.user.email!);
    // B's two sightings, minutes apart at most, are one stay.
    expect((await db().visit.findMany({ where: { userId: b.user.id } })).map((v) => v.sightings)).toEqual([2]);
    expect(await db().faceTemplate.findUniqueOrThrow({ where: { userId: b.user.id } })).toMatchObject({
      status: "ENROLLED",
    });

    expect((await verifyAuditChain()).ok).toBe(true);
  });
});
