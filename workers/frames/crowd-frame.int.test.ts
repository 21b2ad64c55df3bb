// Invariant 2 around one crowd frame: a consenting, checked-in shopper between two people who never
// enrolled. Everything the system could keep is compared before and after the frame — the whole
// Redis key space of the run (names and values), the files under DATA_DIR and the project folder,
// and every log line the worker process wrote (at debug level) — and the job's return value is
// checked exactly. Only the shopper's visit, the anonymous counts, queue bookkeeping and metrics
// may change; nothing derived from the two passers-by (embedding, crop, landmarks, box, attribute).
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../lib/db.ts";
import { env } from "../../lib/env.ts";
import { ready, redis, scanKeys } from "../../lib/redis.ts";
import { makeStore } from "../../tests/fixtures.ts";
import { checkedInShopper } from "../../tests/shopper-in-store.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { acceptFrame } from "../../lib/ingest/accept-frame.ts";
import { signedFrame, type TestCamera } from "../../tests/send-frame.ts";
import { queue } from "../../lib/jobs/queues.ts";
import { jobs } from "../../lib/jobs/contract.ts";
import { decodeImage, detectFaces } from "../vision/index.ts";
import { facesDir } from "../../tests/faces.ts";
import { startWorkerProcess, type WorkerProcess } from "../../tests/worker-process.ts";
import { until } from "../../tests/until.ts";
import { TRACK_TTL_SECONDS } from "../../lib/tracking/track-keys.ts";

let worker: WorkerProcess;
beforeAll(async () => {
  worker = startWorkerProcess({ LOG_LEVEL: "debug" });
  await worker.ready;
  // The schedulers' first runs (retention sweep, rollup, overdue) must be over before the "before" picture.
  const m = queue("maintenance");
  await until(
    "the maintenance queue to be idle",
    async () => (await m.getWaitingCount()) + (await m.getActiveCount()) === 0,
    30_000,
  );
});
afterAll(async () => {
  await worker?.stop();
});

/** Every key of this run's prefix with a printable form of its value. */
async function keySpace(): Promise<Map<string, string>> {
  const r = await ready(redis("producer"));
  const out = new Map<string, string>();
  for (const k of await scanKeys(r, `${env().REDIS_PREFIX}:*`, 1000)) {
    const type = await r.type(k);
    let v: unknown;
    if (type === "string") v = (await r.getBuffer(k))?.toString("base64");
    else if (type === "hash") v = await r.hgetall(k);
    else if (type === "list") v = await r.lrange(k, 0, -1);
    else if (type === "set") v = (await r.smembers(k)).sort();
    else if (type === "zset") v = await r.zrange(k, 0, -1, "WITHSCORES");
    else if (type === "stream") v = await r.xrange(k, "-", "+");
    else v = type;
    if (type !== "none") out.set(k, `${type} ${JSON.stringify(v)}`);
  }
  return out;
}

/** Keys due to expire within a minute: one of them may vanish by itself while the frame is analysed
 *  (the last test file's rate counters, replay markers, tracker state), which is not the job's doing. */
async function expiringSoon(keys: Iterable<string>): Promise<Set<string>> {
  const r = await ready(redis("producer"));
  const out = new Set<string>();
  for (const k of keys) {
    const ms = await r.pttl(k);
    if (ms > 0 && ms <= 60_000) out.add(k);
  }
  return out;
}

const SKIP = new Set(["node_modules", ".git", ".next", "test-results", "lib/generated"]);
function files(root: string, rel = ""): string[] {
  const dir = path.join(root, rel);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (SKIP.has(r) || /^\.data\/(pg|redis)/.test(r)) return [];
    if (e.isDirectory()) return files(root, r);
    const s = statSync(path.join(root, r));
    return [`${r} ${s.size} ${s.mtimeMs}`];
  });
}

/** Row count of every table, to see which ones the frame wrote to. */
async function rowCounts(): Promise<Record<string, number>> {
  const tables = await db().$queryRaw<
    { t: string }[]
  >`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1`;
  const out: Record<string, number> = {};
  for (const { t } of tables)
    out[t] = Number((await db().$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${t}"`))[0]!.n);
  return out;
}

// Anything that looks like coordinates, an embedding or landmarks: four or more numbers in a row.
const NUMBER_RUN = /-?\d+(\.\d+)?(\s*,\s*-?\d+(\.\d+)?){3,}/;
const BIOMETRIC_WORDS = /embedding|landmark|box|crop|bbox|age|gender|descriptor/i;

async function analyse(camera: TestCamera, body: Buffer) {
  const request = signedFrame(camera, body);
  const { frameId } = await acceptFrame(request);
  const job = await until("the job to finish", async () => {
    const j = await queue("frames").getJob(`frame.analyze-${frameId}`);
    return j?.finishedOn ? j : undefined;
  });
  return {
    frameId,
    signature: request.signature,
    returnvalue: job.returnvalue as unknown,
    failedReason: job.failedReason,
  };
}

describe("a crowd frame (invariant 2)", () => {
  it("keeps the shopper's visit and the counts, and nothing derived from the two passers-by", async () => {
    const faces = facesDir();
    const store = await makeStore();
    const camera = await registerCamera({ storeSlug: store.slug, name: "Till", actor: { id: null, role: "SYSTEM" } });
    const identity = path.join(faces, "verification", "faceapi_amy");
    const { shopper, probe } = await checkedInShopper(store.slug, identity);
    const photo = (f: string) => readFileSync(path.join(faces, "verification", f));
    const crowd = await sharp({ create: { width: 450, height: 150, channels: 3, background: "#777" } })
      .composite([
        { input: photo("faceapi_leonard/leonard1.png"), left: 0, top: 0 },
        { input: readFileSync(path.join(identity, readdirSync(identity).sort()[1]!)), left: 150, top: 0 },
        { input: photo("faceapi_howard/howard1.png"), left: 300, top: 0 },
      ])
      .jpeg({ quality: 92 })
      .toBuffer();
    // A first frame of the shopper alone loads the gallery and creates the per-camera bookkeeping.
    expect(await analyse(camera, probe)).toMatchObject({ returnvalue: { status: "analyzed", faces: 1, matched: 1 } });

    const rowsBefore = await rowCounts();
    const keysBefore = await keySpace();
    const mayExpire = await expiringSoon(keysBefore.keys());
    const filesBefore = [...files(env().DATA_DIR), ...files(process.cwd())];
    const logFrom = worker.lines.length;
    const { frameId, signature, returnvalue, failedReason } = await analyse(camera, crowd);
    const keysAfter = await keySpace();
    const rowsAfter = await rowCounts();
    const filesAfter = [...files(env().DATA_DIR), ...files(process.cwd())];
    const logLines = worker.lines.slice(logFrom);

    expect(failedReason).toBeUndefined();
    // As many faces as the same detector finds in this process (at least the three people).
    const detected = (await detectFaces(await decodeImage(crowd))).length;
    expect(detected).toBeGreaterThanOrEqual(3);
    expect(returnvalue).toEqual({ status: "analyzed", faces: detected, matched: 1 });
    const visits = (await db().visit.findMany({ where: { storeId: store.id } })).filter((v) =>
      v.recentSightings.some((s) => s.startsWith(`${frameId}:`)),
    );
    expect(visits.map((v) => ({ userId: v.userId, ageBand: v.ageBand, gender: v.gender }))).toEqual([
      { userId: shopper.id, ageBand: null, gender: null },
    ]);

    // Database: the shopper's visit of the first frame extended (a stay: one sighting more, no new
    // row); the footfall bucket of the minute is updated (or one more row if the minute turned);
    // no other table gains or loses a row.
    const rowDiff = Object.fromEntries(
      Object.keys({ ...rowsBefore, ...rowsAfter })
        .filter((t) => rowsAfter[t] !== rowsBefore[t])
        .map((t) => [t, (rowsAfter[t] ?? 0) - (rowsBefore[t] ?? 0)]),
    );
    const { FootfallBucket: newBuckets = 0, CountedFrame: counted = 0, ...otherRows } = rowDiff;
    expect(otherRows).toEqual({});
    // The frame's id, claimed so that a retry cannot count it twice: nothing else.
    expect(counted).toBe(1);
    expect(await db().countedFrame.findMany({ where: { frameId } })).toEqual([
      { frameId, countedAt: expect.any(Date) },
    ]);
    expect(visits.map((v) => v.sightings)).toEqual([2]);
    expect([0, 1]).toContain(newBuckets);

    // Redis: exactly the queue bookkeeping of this job, the metrics, the replay marker of this
    // request (and per-second rate counters, which live 2 s) changed; the frame key and the
    // counted marker were created and deleted in between.
    const p = env().REDIS_PREFIX;
    const jobId = `frame.analyze-${frameId}`;
    const changed = [...keysAfter].filter(([k, v]) => keysBefore.get(k) !== v).map(([k]) => k);
    const removed = [...keysBefore.keys()].filter((k) => !keysAfter.has(k));
    const ephemeral = new RegExp(`^${p}:(rate:${camera.cameraId}:\\d+|bull:\\w+:stalled-check|drain:\\d+)$`);
    // The camera's anonymous tracking (invariant 11): boxes, times and counters that live seconds,
    // plus two bare numbers (the camera's frame counter and how far its tracker got).
    // The list of cameras with someone in view (ids and times) is how a quiet camera's tracks end.
    const tracking = new RegExp(`^${p}:(cam-seq:${camera.cameraId}|track:${camera.cameraId}:.+|track-active)$`);
    const r = await ready(redis("producer"));
    for (const k of [...changed, ...removed].filter((k) => tracking.test(k))) {
      if (/:(cam-seq|track:[^:]+:cursor):/.test(`${k}:`)) {
        expect(keysAfter.get(k), k).toMatch(/^string "[A-Za-z0-9+/=]+"$/);
        expect(
          Number(Buffer.from(JSON.parse(keysAfter.get(k)!.slice(7)) as string, "base64").toString()),
        ).toBeGreaterThan(0);
        continue;
      }
      if (!keysAfter.has(k)) continue;
      if (k === `${p}:track-active`) {
        const members = await r.zrange(k, 0, -1);
        expect(
          members.every((m) => /^cam_\w+$/.test(m)),
          members.join(),
        ).toBe(true);
        continue;
      }
      const ttl = await r.ttl(k);
      expect(ttl, k).toBeGreaterThan(0);
      expect(ttl, k).toBeLessThanOrEqual(TRACK_TTL_SECONDS);
      expect(keysAfter.get(k)!, k).not.toMatch(/embedding|landmark|descriptor|age|gender/i);
    }
    // Per track: embeddings spent, the size of the best face embedded, and only for the shopper who
    // matched, who it is; nothing about either passer-by but those two numbers.
    const recognition = [...keysAfter.keys()].filter((k) => k.startsWith(`${p}:track:${camera.cameraId}:t:`));
    for (const k of recognition) {
      const h = await r.hgetall(k);
      for (const f of Object.keys(h))
        expect(["embeds", "best", "user", "score", "votes"].includes(f) || /^v\d+$/.test(f), f).toBe(true);
      if (h.user) expect(h.user).toBe(shopper.id);
    }
    // The scheduled maintenance jobs go on while the frame is analysed (tracks.quiet every 5 s, so
    // a slow run sees one): their queue may change, but only by scheduled jobs, which carry no data.
    const scheduled = Object.entries(jobs)
      .filter(([, s]) => "every" in s && s.every)
      .map(([name]) => name);
    const maintenance = new RegExp(`^${p}:bull:maintenance:`);
    for (const k of changed.filter((k) => maintenance.test(k))) {
      const v = keysAfter.get(k)!;
      if (!v.startsWith("hash ")) continue;
      const h = JSON.parse(v.slice(5)) as Record<string, string>;
      if (!("data" in h)) continue; // a scheduler's own record: its pattern and next run
      expect(scheduled, k).toContain(h.name);
      expect(JSON.parse(h.data!), k).toEqual({});
    }
    const notMaintenance = (k: string) => !maintenance.test(k);
    expect(changed.filter((k) => !ephemeral.test(k) && !tracking.test(k) && notMaintenance(k)).sort()).toEqual(
      [
        `${p}:bull:frames:completed`,
        `${p}:bull:frames:events`,
        `${p}:bull:frames:${jobId}`,
        `${p}:bull:frames:id`,
        `${p}:metrics`,
        `${p}:replay:${camera.cameraId}:${signature.slice(3, 35)}`,
      ].sort(),
    );
    expect(
      removed.filter((k) => !ephemeral.test(k) && !tracking.test(k) && !mayExpire.has(k) && notMaintenance(k)),
    ).toEqual([]);
    const job = JSON.parse(keysAfter.get(`${p}:bull:frames:${jobId}`)!.replace(/^hash /, "")) as Record<string, string>;
    expect(JSON.parse(job.data!)).toEqual({
      frameId,
      cameraId: camera.cameraId,
      capturedAt: expect.any(Number),
      seq: 2,
      trackAt: expect.any(Number),
    });
    expect(JSON.parse(job.returnvalue!)).toEqual(returnvalue);
    for (const k of changed.filter((k) => !tracking.test(k) && notMaintenance(k))) {
      const value =
        k === `${p}:bull:frames:events` ? keysAfter.get(k)!.slice(keysBefore.get(k)?.length ?? 0) : keysAfter.get(k)!;
      if (k !== `${p}:bull:frames:completed`) expect(value, k).not.toMatch(NUMBER_RUN);
      expect(value.replace(/frame\.analyze|veil_\w+/g, ""), k).not.toMatch(BIOMETRIC_WORDS);
    }

    // Logs: whatever the worker wrote at debug level while it analysed the frame is JSON with ids,
    // never numbers that could be a box or an embedding.
    for (const line of logLines) {
      expect(() => JSON.parse(line), line).not.toThrow();
      expect(line).not.toMatch(NUMBER_RUN);
      expect(line).not.toMatch(BIOMETRIC_WORDS);
    }

    // Files: nothing written anywhere under DATA_DIR or the project (the store keeps no frames).
    expect(filesAfter).toEqual(filesBefore);
  });
});
