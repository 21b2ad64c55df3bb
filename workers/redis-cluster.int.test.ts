// Redis Cluster (ADR 0008): a 3-master cluster with one replica per master, started by this file on
// free loopback ports (tests/redis-cluster.ts), carries everything Redis does here — the ingest's
// frame keys, replay markers and rate limits, the BullMQ queues of the workers, pub/sub — through
// REDIS_CLUSTER_NODES. One frame becomes a visit; an erasure runs and its sweep finds what it must
// remove on whichever master holds it; then the master serving the deployment's hash slot is
// killed while frames keep coming, and every frame ingest accepted is still analysed, once, after
// its replica took over. Only the redis-server processes started here are signalled.
import path from "node:path";
import { clusterPorts, startCluster, type TestCluster } from "../tests/redis-cluster.ts";

const ports = await clusterPorts(6);
process.env.REDIS_CLUSTER_NODES = ports.map((p) => `127.0.0.1:${p.port}`).join(",");
// The run's own prefix (scripts/test.ts), as one hash tag: the cluster refuses anything else.
process.env.REDIS_PREFIX = `{${(process.env.REDIS_PREFIX ?? "veil").replace(/[{}]/g, "")}}`;
// A job whose worker lost its lock with the crashed master is taken over after about this long.
process.env.WORKER_LOCK_MS = "5000";

const { afterAll, beforeAll, describe, expect, it } = await import("vitest");
const { Cluster } = await import("ioredis");
const { db, disconnectDb } = await import("../lib/db.ts");
const { env } = await import("../lib/env.ts");
const { channels, closeRedis, createRedis, key, masters, ready, redis } = await import("../lib/redis.ts");
const { closeQueues, queue } = await import("../lib/jobs/queues.ts");
const { makeStore, makeUser } = await import("../tests/fixtures.ts");
const { checkedInShopper } = await import("../tests/shopper-in-store.ts");
const { registerCamera } = await import("../lib/cameras/register-camera.ts");
const { sendFrame } = await import("../tests/send-frame.ts");
const { facesDir } = await import("../tests/faces.ts");
const { untilFrameJobsFinish } = await import("../tests/frame-jobs.ts");
const { until } = await import("../tests/until.ts");
const { rateLimit } = await import("../lib/rate-limit.ts");
const { isAppError } = await import("../lib/errors/app-error.ts");
const { submitRequest } = await import("../lib/requests/submit-request.ts");
const { approveRequest } = await import("../lib/requests/approve-request.ts");
const { existingPseudonym } = await import("../lib/subjects/pseudonym.ts");
const { findRedisLeftovers, needleList, scanLeftovers } = await import("../lib/erasure/scan-leftovers.ts");
const { startWorkers } = await import("./main.ts");

let cluster: TestCluster;
let stopWorkers: (() => Promise<void>) | undefined;
const penny = path.join(facesDir(), "verification", "faceapi_penny");
// The deployment's one hash slot: every key under the prefix lives there.
const slotKey = () => key("frame", "x");

beforeAll(async () => {
  cluster = await startCluster(ports, { replicas: 1, nodeTimeoutMs: 2000 });
  stopWorkers = await startWorkers({ queues: ["frames", "requests"] });
}, 180_000);

// Connections close before the servers stop (the shared teardown then has nothing left to close).
afterAll(async () => {
  await stopWorkers?.();
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  await cluster?.stop();
}, 120_000);

describe("Redis Cluster (3 masters, 3 replicas)", () => {
  it("connects as a cluster, keeps the deployment in one slot, and carries a frame to a visit, pub/sub and rate limits", { timeout: 180_000 }, async () => {
    const r = await ready(redis("producer"), 10_000);
    expect(r).toBeInstanceOf(Cluster);
    expect(env().REDIS_PREFIX).toMatch(/^\{.+\}$/);

    // pub/sub: a consent change published through one node reaches a subscriber on another.
    const sub = createRedis("subscriber");
    const got: string[] = [];
    sub.on("message", (_c: string, m: string) => got.push(m));
    await sub.subscribe(channels.consentChanged());
    const store = await makeStore();
    const camera = await registerCamera({ storeSlug: store.slug, name: "cluster door", actor: { id: null, role: "SYSTEM" } });
    const { shopper, probe } = await checkedInShopper(store.slug, penny);
    await until("the consent change to arrive over cluster pub/sub", () => got.some((m) => m.includes(shopper.id)), 30_000);
    await sub.quit();

    const frameId = await sendFrame(camera, probe);
    const [job] = await untilFrameJobsFinish([frameId], 120_000);
    expect(job!.returnvalue).toEqual({ status: "analyzed", faces: 1, matched: 1 });
    expect(await db().visit.count({ where: { userId: shopper.id, frameId } })).toBe(1);
    expect(await r.exists(key("frame", frameId))).toBe(0);

    // Every key of the deployment on the master of its slot and none on the others.
    const home = await cluster.masterOf(slotKey());
    const perMaster = await Promise.all(masters(r).map(async (m) => ({ port: m.options.port, keys: (await m.scan("0", "MATCH", `${env().REDIS_PREFIX}:*`, "COUNT", 10_000))[1].length })));
    expect(perMaster.filter((m) => m.keys > 0).map((m) => m.port)).toEqual([home.port]);

    // Rate limits (a MULTI on one key) count in the cluster.
    const subject = `cluster-${frameId}`;
    await rateLimit("cluster-test", subject, 1, 60);
    const second = await rateLimit("cluster-test", subject, 1, 60).catch((e: unknown) => e);
    expect(isAppError(second, "rate_limited")).toBe(true);
  });

  it("runs an erasure through the cluster: its sweep finds and removes what names the subject on the master that holds it", { timeout: 180_000 }, async () => {
    const store = await makeStore();
    const camera = await registerCamera({ storeSlug: store.slug, name: "cluster door 2", actor: { id: null, role: "SYSTEM" } });
    const { shopper, probe } = await checkedInShopper(store.slug, penny);
    const frameId = await sendFrame(camera, probe);
    expect((await untilFrameJobsFinish([frameId], 120_000))[0]!.returnvalue).toMatchObject({ matched: 1 });
    // A key named after the subject, as a rate-limit counter would be: the sweep must find it.
    const r = await ready(redis("producer"));
    const planted = key("cluster-test", shopper.id);
    await r.set(planted, "1", "EX", 600);
    // SCAN on a cluster client runs on one node picked at random; found every time means every
    // master was scanned (one in three by chance per try otherwise).
    for (let i = 0; i < 6; i++) {
      const { found } = await findRedisLeftovers(needleList({ userId: shopper.id }));
      expect(found.map((f) => f.key)).toContain(planted);
    }

    const pseudonym = await existingPseudonym(shopper.id);
    const staff = await makeUser("SUPPORT");
    const erasure = await submitRequest({ userId: shopper.id, storeSlug: store.slug, kind: "ERASURE" });
    await approveRequest({ requestId: erasure.id, actor: { id: staff.id, role: "SUPPORT" } });
    const job = await until("the erasure job to finish", async () => {
      const j = await queue("requests").getJob(`request.erase-${erasure.id}`);
      return j?.finishedOn ? j : undefined;
    }, 120_000, 200);
    expect(job.failedReason ?? null).toBeNull();
    expect(job.returnvalue).toMatchObject({ status: "COMPLETED" });

    expect(await r.exists(planted)).toBe(0);
    expect(await db().visit.count({ where: { frameId } })).toBe(0);
    const left = await scanLeftovers({ userId: shopper.id, email: shopper.email, pseudonym });
    expect(left.hits.filter((h) => !(h.store === "postgres" && h.location === "AuditLog" && h.needle === "pseudonym"))).toEqual([]);
    expect(left.scanned.redisKeys).toBeGreaterThan(0);
  });

  it("loses no accepted frame when the master of the deployment's slot crashes mid-run and its replica takes over", { timeout: 300_000 }, async () => {
    const store = await makeStore();
    const camera = await registerCamera({ storeSlug: store.slug, name: "cluster door 3", actor: { id: null, role: "SYSTEM" } });
    const { shopper, probe } = await checkedInShopper(store.slug, penny);

    const accepted: string[] = [];
    let refused = 0;
    let t = Math.floor(Date.now() / 1000) - 200;
    const send = async () => {
      t++;
      try {
        accepted.push(await sendFrame(camera, probe, { timestamp: t, now: t * 1000 }));
      } catch (e) {
        if (!isAppError(e, "unavailable")) throw e;
        refused++;
      }
    };
    for (let i = 0; i < 8; i++) await send();
    // Some of these are being analysed, the rest wait: the crash lands mid-run.
    await until("the worker to be busy with the frames", async () => (await queue("frames").getActiveCount()) > 0, 60_000, 50);
    const old = await cluster.masterOf(slotKey());
    const crashedAt = Date.now();
    await cluster.crash(old);
    const promoted = cluster.untilFailedOver(slotKey(), old, 90_000).then((n) => ({ node: n, ms: Date.now() - crashedAt }));
    // Frames keep coming while the cluster fails over: refused (503) or accepted.
    let over: Awaited<typeof promoted> | undefined;
    void promoted.then((o) => (over = o));
    while (!over) {
      await send();
      await new Promise((res) => setTimeout(res, 250));
    }
    const acceptedBefore = accepted.length;
    const firstAfter = await until("ingest to accept a frame after the failover", async () => {
      const n = accepted.length;
      await send();
      return accepted.length > n ? Date.now() - crashedAt : undefined;
    }, 60_000, 200);
    for (let i = 0; i < 4; i++) await send();

    const jobs = await untilFrameJobsFinish(accepted, 240_000);
    // Printed, not asserted: README "Operating it" quotes these.
    console.log(
      `[redis-cluster] master ${old.address} killed; replica ${over.node.address} served its slot after ${over.ms} ms; ingest accepted again after ${firstAfter} ms; ` +
        `${accepted.length} frames accepted (${acceptedBefore} before the new master took over), ${refused} refused with 503; ` +
        `${jobs.filter((j) => j.attemptsMade > 1).length} jobs needed a retry; outcomes ${JSON.stringify(jobs.map((j) => (j.returnvalue as { status?: string } | null)?.status))}`,
    );
    // Completed, every one: an attempt cut off by the crash failed and was retried (its reason stays on the job).
    expect(await Promise.all(jobs.map((j) => j.getState()))).toEqual(accepted.map(() => "completed"));
    // Each accepted frame became exactly one visit (the durable effect, whichever attempt wrote it).
    const visits = await db().visit.findMany({ where: { userId: shopper.id }, select: { frameId: true } });
    expect(visits.map((v) => v.frameId).sort()).toEqual([...accepted].sort());
    const r = await ready(redis("producer"));
    expect(await r.exists(...accepted.map((id) => key("frame", id)))).toBe(0);
  });
});
