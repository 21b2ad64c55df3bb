// The leftover scanner finds a subject wherever it is written: in a table created after the scanner
// was (tables come from the catalogue), in every Redis type and in BullMQ jobs, in files under
// DATA_DIR; and erasure refuses to complete while it finds anything.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { key, ready, redis } from "../redis.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { grantConsent } from "../consent/grant-consent.ts";
import { existingPseudonym } from "../subjects/pseudonym.ts";
import { submitRequest } from "../requests/submit-request.ts";
import { approveRequest } from "../requests/approve-request.ts";
import { queue } from "../jobs/queues.ts";
import { needleList, scanLeftovers } from "./scan-leftovers.ts";
import { eraseSubject } from "./erase-subject.ts";

async function subjectWithKey() {
  const store = await makeStore();
  const user = await makeUser();
  await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
  return { store, user, pseudonym: (await existingPseudonym(user.id))! };
}

describe("scanLeftovers", () => {
  it("finds the subject in a new table, every Redis type, a BullMQ job and a file, and names where without the value", async () => {
    const { user, pseudonym } = await subjectWithKey();
    const other = await makeUser();
    const table = `ScanProbe_${randomUUID().slice(0, 8)}`;
    const r = await ready(redis("producer"));
    const tag = randomUUID().slice(0, 8);
    const keys = {
      str: key("probe", tag, "s"),
      hash: key("probe", tag, "h"),
      list: key("probe", tag, "l"),
      set: key("probe", tag, "set"),
      zset: key("probe", tag, "z"),
      stream: key("probe", tag, "x"),
    };
    const named = key(
      "ratelimit",
      "probe",
      needleList({ userId: user.id, email: user.email }).find((n) => n.name === "emailDigest")!.value,
      "1",
    );
    const dir = path.join(env().DATA_DIR, "probe", tag);
    try {
      await db().$executeRawUnsafe(`CREATE TABLE "${table}" (id text PRIMARY KEY, note jsonb)`);
      await db().$executeRawUnsafe(
        `INSERT INTO "${table}" VALUES ('1', $1::jsonb), ('2', '{"x": 1}')`,
        JSON.stringify({ who: user.email!.toUpperCase() }),
      );
      await r.set(keys.str, `hello ${user.id}`);
      await r.hset(keys.hash, "f", `{"subject":"${pseudonym}"}`);
      await r.rpush(keys.list, "a", user.id, "b");
      await r.sadd(keys.set, other.id, user.email!);
      await r.zadd(keys.zset, 1, `m-${user.id}`);
      await r.xadd(keys.stream, "*", "who", pseudonym);
      await r.set(named, "3");
      const job = await queue("requests").add(
        "request.export",
        { requestId: user.id },
        { jobId: `probe-${tag}`, delay: 3_600_000 },
      );
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, "note.json"), JSON.stringify({ p: pseudonym }));
      writeFileSync(path.join(dir, "other.json"), JSON.stringify({ p: other.id }));

      const report = await scanLeftovers({ userId: user.id, email: user.email, pseudonym, templateId: null });
      const where = (store: string, location: string) =>
        report.hits.filter((h) => h.store === store && h.location === location).map((h) => [h.needle, h.count]);
      expect(where("postgres", table)).toEqual([["email", 1]]);
      for (const [k, needle] of [
        [keys.str, "userId"],
        [keys.hash, "pseudonym"],
        [keys.list, "userId"],
        [keys.set, "email"],
        [keys.zset, "userId"],
        [keys.stream, "pseudonym"],
      ] as const) {
        expect(where("redis", k)).toEqual([[needle, 1]]);
      }
      expect(
        report.hits.find((h) => h.store === "redis" && h.location === `${key("bull")}:requests:${job.id}`),
      ).toMatchObject({ needle: "userId", redisType: "hash", job: { queue: "requests", id: job.id } });
      // A key named after the subject is reported with the name masked.
      expect(where("redis", key("ratelimit", "probe", "<erased>", "1"))).toEqual([["emailDigest", 1]]);
      expect(where("file", path.join("probe", tag, "note.json"))).toEqual([["pseudonym", 1]]);
      expect(where("file", path.join("probe", tag, "other.json"))).toEqual([]);
      expect(JSON.stringify(report)).not.toContain(user.id);
      expect(JSON.stringify(report)).not.toContain(user.email!);
      expect(report.scanned.tables).toBeGreaterThanOrEqual(20);
      expect(report.scanned.needles).toEqual(["userId", "userIdDigest", "email", "emailDigest", "pseudonym"]);
    } finally {
      await db().$executeRawUnsafe(`DROP TABLE IF EXISTS "${table}"`);
      await r.del(...Object.values(keys), named);
      await queue("requests").remove(`probe-${tag}`);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("erasure does not complete while the scan finds the subject, and removes the subject's Redis leftovers but not another's", async () => {
    const { store, user } = await subjectWithKey();
    const b = await makeUser();
    const table = `ScanProbe_${randomUUID().slice(0, 8)}`;
    const r = await ready(redis("producer"));
    const shared = key("probe", randomUUID().slice(0, 8), "list");
    try {
      await db().$executeRawUnsafe(`CREATE TABLE "${table}" (id text PRIMARY KEY, owner text)`);
      await db().$executeRawUnsafe(`INSERT INTO "${table}" VALUES ('1', $1)`, user.id);
      await r.rpush(shared, `a:${user.id}`, `b:${b.id}`);
      const request = await submitRequest({ userId: user.id, storeSlug: store.slug, kind: "ERASURE" });
      await approveRequest({ requestId: request.id, actor: { id: b.id, role: "SUPPORT" } });

      await expect(eraseSubject(request.id)).rejects.toThrow(
        new RegExp(`erasure incomplete: postgres:${table} \\(userId\\) x1`),
      );
      expect((await db().dataRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("IN_PROGRESS");
      expect(await r.lrange(shared, 0, -1)).toEqual([`b:${b.id}`]);

      await db().$executeRawUnsafe(`DELETE FROM "${table}"`);
      const done = await eraseSubject(request.id);
      expect(done.status).toBe("COMPLETED");
      expect(done.receipt!.scanned).toMatchObject({
        needles: ["userId", "userIdDigest", "email", "emailDigest", "pseudonym"],
      });
      expect(done.receipt!.scanned.tables).toBeGreaterThanOrEqual(20);
      expect(done.receipt!.scanned.pseudonymousAuditRecords).toBeGreaterThanOrEqual(1);
      const after = await scanLeftovers({ userId: user.id, email: user.email });
      expect(after.hits).toEqual([]);
    } finally {
      await db().$executeRawUnsafe(`DROP TABLE IF EXISTS "${table}"`);
      await r.del(shared);
    }
  });
});
