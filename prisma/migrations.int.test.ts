// The hand-written SQL migrations against the Prisma schema: applied to an empty database, every
// model is written and read through the generated client, and the append-only triggers hold.
import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaClient } from "../lib/generated/prisma/client.ts";
import { migrate, listMigrations } from "../scripts/lib/migrate.ts";
import { majority, type DemographicVotes } from "../lib/visits/demographic-votes.ts";

const server = process.env.DATABASE_URL!;
const name = `veil_migr_${randomUUID().slice(0, 8)}`;
let url: string;
let prisma: PrismaClient;

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  await c.query(sql);
  await c.end();
}

beforeAll(async () => {
  await admin(`CREATE DATABASE "${name}"`);
  const u = new URL(server);
  u.pathname = `/${name}`;
  url = u.toString();
  prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

describe("migrations", () => {
  it("apply to an empty database once, recorded like Prisma Migrate, and a second run applies nothing", async () => {
    const first = await migrate(url);
    expect(first.applied).toEqual(listMigrations().map((m) => m.name));
    expect((await migrate(url)).applied).toEqual([]);
    const rows = await prisma.$queryRaw<
      { migration_name: string; checksum: string; finished_at: Date | null }[]
    >`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"`;
    expect(rows.map((r) => r.checksum)).toEqual(listMigrations().map((m) => m.checksum));
    expect(rows.every((r) => r.finished_at)).toBe(true);
  });

  it("every model of the schema can be written and read", async () => {
    const store = await prisma.store.create({
      data: { slug: "m", name: "M", controllerName: "C", controllerContact: "c@x" },
    });
    const cam = await prisma.camera.create({
      data: { storeId: store.id, name: "c", secretCiphertext: new Uint8Array([1, 2]), secretKeyId: "k1" },
    });
    await prisma.purpose.create({ data: { code: "recognition", requiresConsent: true } });
    const notice = await prisma.notice.create({
      data: { storeId: store.id, version: 1, texts: { create: { locale: "en", title: "t", sections: { a: "b" } } } },
    });
    const user = await prisma.user.create({ data: { email: "u@x", role: "ADMIN", passwordHash: "h" } });
    await prisma.account.create({ data: { userId: user.id, type: "email", provider: "p", providerAccountId: "1" } });
    await prisma.session.create({ data: { sessionToken: "s", userId: user.id, expires: new Date() } });
    await prisma.verificationToken.create({ data: { identifier: "u@x", token: "t", expires: new Date() } });
    await prisma.subjectKey.create({ data: { userId: user.id, key: new Uint8Array(32), pseudonym: "sub_m" } });
    const ev = await prisma.consentEvent.create({
      data: {
        subject: "sub_m",
        storeId: store.id,
        purposeCode: "recognition",
        action: "GRANT",
        noticeId: notice.id,
        noticeVersion: 1,
        channel: "WEB",
        prevHash: "0",
        hash: "h1",
      },
    });
    await prisma.consentState.create({
      data: {
        userId: user.id,
        storeId: store.id,
        purposeCode: "recognition",
        status: "GRANTED",
        noticeVersion: 1,
        lastEventId: ev.id,
      },
    });
    await prisma.faceTemplate.create({
      data: { userId: user.id, status: "ENROLLED", ciphertext: new Uint8Array([3]), keyId: "k1", modelVersion: "m" },
    });
    await prisma.checkIn.create({ data: { userId: user.id, storeId: store.id, expiresAt: new Date() } });
    await prisma.visit.create({
      data: {
        userId: user.id,
        storeId: store.id,
        firstSeenAt: new Date(),
        lastSeenAt: new Date(),
        cameraIds: [cam.id],
        score: 0.5,
      },
    });
    await prisma.footfallBucket.create({
      data: {
        cameraId: cam.id,
        storeId: store.id,
        size: "MINUTE",
        bucketStart: new Date(),
        frames: 1,
        faces: 2,
        maxFaces: 2,
      },
    });
    await prisma.storedFrame.create({
      data: { storeId: store.id, cameraId: cam.id, path: "/x", capturedAt: new Date(), expiresAt: new Date() },
    });
    const req = await prisma.dataRequest.create({
      data: { userId: user.id, storeId: store.id, kind: "ERASURE", dueAt: new Date(), receipt: { a: 1 } },
    });
    await prisma.erasureTombstone.create({ data: { subjectHash: "x", requestId: req.id, receipt: {} } });
    await prisma.auditLog.create({
      data: {
        actorRole: "SYSTEM",
        action: "a",
        targetType: "t",
        targetId: "1",
        details: {},
        prevHash: "0",
        hash: "a1",
      },
    });
    await prisma.staffTotp.create({
      data: {
        userId: user.id,
        secret: new Uint8Array([4]),
        keyId: "k1",
        enabledAt: new Date(),
        lastTimeStep: 59_876_084,
      },
    });
    await prisma.staffRecoveryCode.create({ data: { userId: user.id, codeHash: "h" } });
    await prisma.staffSecondFactor.create({ data: { sid: "s", userId: user.id } });
    await prisma.storeDevice.create({
      data: {
        storeId: store.id,
        name: "door",
        pairingCodeHash: "p",
        pairingExpiresAt: new Date(),
        credentialHash: "c",
      },
    });

    await prisma.countedFrame.create({ data: { frameId: "00000000-0000-4000-8000-000000000000" } });

    const counts = await Promise.all([
      prisma.store.count(),
      prisma.camera.count(),
      prisma.purpose.count(),
      prisma.notice.count(),
      prisma.noticeText.count(),
      prisma.user.count(),
      prisma.account.count(),
      prisma.session.count(),
      prisma.verificationToken.count(),
      prisma.consentEvent.count(),
      prisma.consentState.count(),
      prisma.faceTemplate.count(),
      prisma.checkIn.count(),
      prisma.visit.count(),
      prisma.footfallBucket.count(),
      prisma.storedFrame.count(),
      prisma.dataRequest.count(),
      prisma.erasureTombstone.count(),
      prisma.auditLog.count(),
      prisma.subjectKey.count(),
      prisma.staffTotp.count(),
      prisma.staffRecoveryCode.count(),
      prisma.staffSecondFactor.count(),
      prisma.storeDevice.count(),
      prisma.countedFrame.count(),
    ]);
    expect(counts.every((c) => c === 1)).toBe(true);
  });

  it("the audit log refuses UPDATE, DELETE and TRUNCATE with no exception; the ledger deletes only an erasure's own subject", async () => {
    const ev = await prisma.consentEvent.findFirstOrThrow();
    await expect(prisma.consentEvent.update({ where: { id: ev.id }, data: { action: "REVOKE" } })).rejects.toThrow(
      /append_only/,
    );
    await expect(prisma.auditLog.deleteMany({})).rejects.toThrow(/append_only/);
    await expect(prisma.auditLog.updateMany({ data: { action: "x" } })).rejects.toThrow(/append_only/);
    // The former escape hatch no longer opens the audit log, and TRUNCATE skips no trigger.
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SET LOCAL veil.erasure = 'on'`;
        await tx.auditLog.deleteMany({});
      }),
    ).rejects.toThrow(/append_only/);
    await expect(prisma.$executeRaw`TRUNCATE "AuditLog"`).rejects.toThrow(/append_only/);
    await expect(prisma.$executeRaw`TRUNCATE "ConsentEvent"`).rejects.toThrow(/append_only/);
    await expect(prisma.$executeRaw`TRUNCATE "AuditLog", "ConsentEvent" CASCADE`).rejects.toThrow(/append_only/);
    expect(await prisma.auditLog.count()).toBe(1);

    // Deleting the ledger needs an erasure request in progress, and reaches only its subject.
    const user = await prisma.user.findFirstOrThrow({ where: { email: "u@x" } });
    const other = await prisma.user.create({ data: { email: "o@x" } });
    await prisma.subjectKey.create({ data: { userId: other.id, key: new Uint8Array(32), pseudonym: "sub_o" } });
    await prisma.consentEvent.create({
      data: {
        subject: "sub_o",
        storeId: "s",
        purposeCode: "recognition",
        action: "GRANT",
        noticeId: "n",
        noticeVersion: 1,
        channel: "WEB",
        prevHash: "0",
        hash: "h2",
      },
    });
    const req = await prisma.dataRequest.findFirstOrThrow({ where: { userId: user.id } });
    await expect(prisma.$queryRaw`SELECT veil_erase_ledger(${req.id})`).rejects.toThrow(/erasure_request_required/);
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('veil.erasure_request', ${req.id}, true)`;
        await tx.consentEvent.deleteMany({});
      }),
    ).rejects.toThrow(/append_only/);
    await prisma.dataRequest.update({ where: { id: req.id }, data: { status: "IN_PROGRESS" } });
    // Naming a running erasure by hand still does not reach another subject's chain.
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT set_config('veil.erasure_request', ${req.id}, true)`;
        await tx.consentEvent.deleteMany({ where: { subject: "sub_o" } });
      }),
    ).rejects.toThrow(/append_only/);
    expect(await prisma.$queryRaw<{ n: number }[]>`SELECT veil_erase_ledger(${req.id}) AS n`).toEqual([{ n: 1 }]);
    expect((await prisma.consentEvent.findMany()).map((e) => e.subject)).toEqual(["sub_o"]);
    // The variable the function sets does not outlive it.
    await expect(prisma.consentEvent.deleteMany({})).rejects.toThrow(/append_only/);
  });

  it("a migration changed after it was applied is refused", async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`UPDATE "_prisma_migrations" SET checksum = 'x'`);
    await c.end();
    await expect(migrate(url)).rejects.toThrow(/changed after it was applied/);
  });
});

describe("migration 20261204090100 (visits become stays)", () => {
  const stays = `veil_migr_stays_${randomUUID().slice(0, 8)}`;
  let staysUrl: string;
  let before: string;
  beforeAll(async () => {
    await admin(`CREATE DATABASE "${stays}"`);
    const u = new URL(server);
    u.pathname = `/${stays}`;
    staysUrl = u.toString();
    // The migrations up to the one before it, in a directory of their own.
    before = mkdtempSync(path.join(os.tmpdir(), "veil-migr-"));
    for (const m of listMigrations().filter((m) => m.name < "20261204090100")) {
      cpSync(path.resolve(import.meta.dirname, "migrations", m.name), path.join(before, m.name), { recursive: true });
    }
  });
  afterAll(async () => {
    rmSync(before, { recursive: true, force: true });
    await admin(`DROP DATABASE IF EXISTS "${stays}" WITH (FORCE)`);
  });

  it("merges the per-frame rows of one shopper at one store less than 10 minutes apart into one visit", async () => {
    await migrate(staysUrl, before);
    const c = new pg.Client({ connectionString: staysUrl });
    await c.connect();
    try {
      for (const id of ["s", "t"]) {
        await c.query(
          `INSERT INTO "Store" (id, slug, name, "controllerName", "controllerContact", "updatedAt") VALUES ($1, $1, $1, 'C', 'c@x', now())`,
          [id],
        );
      }
      const t0 = Date.parse("2026-11-20T10:00:00Z");
      const at = (min: number) => new Date(t0 + min * 60_000).toISOString().replace("Z", "");
      // [user, store, camera, minute, score, ageBand, gender]
      const rows: [string, string, string, number, number, string | null, string | null][] = [
        ["a", "s", "door", 0, 0.8, null, null],
        ["a", "s", "door", 3, 0.85, "55-64", "male"],
        ["a", "s", "till", 6, 0.9, "35-44", "female"],
        ["a", "s", "door", 9, 0.7, "35-44", "female"],
        // more than 10 minutes later: a new stay, whose age band is a tie (the first voted wins)
        ["a", "s", "door", 25, 0.6, "45-54", "female"],
        ["a", "s", "aisle", 35, 0.65, "25-34", "male"],
        // another store, another shopper: stays of their own
        ["a", "t", "door", 1, 0.5, null, null],
        ["b", "s", "door", 2, 0.75, null, null],
      ];
      for (const [i, [user, store, camera, min, score, ageBand, gender]] of rows.entries()) {
        await c.query(
          `INSERT INTO "Visit" (id, "userId", "storeId", "cameraId", "frameId", "faceIndex", "seenAt", score, "ageBand", gender)
           VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9)`,
          [`v${i}`, user, store, camera, `f${i}`, at(min), score, ageBand, gender],
        );
      }
      // the stays migration first, then whatever came after it
      expect((await migrate(staysUrl)).applied[0]).toBe("20261204090100_visit_stays");
      const visits = (
        await c.query(
          `SELECT id, "userId", "storeId", "firstSeenAt" AT TIME ZONE 'UTC' AS "firstSeenAt",
             "lastSeenAt" AT TIME ZONE 'UTC' AS "lastSeenAt", "cameraIds", sightings, score, "ageBand", gender,
             "demographicVotes", "recentSightings"
           FROM "Visit" ORDER BY "userId", "storeId", "firstSeenAt"`,
        )
      ).rows;
      const utc = (min: number) => new Date(t0 + min * 60_000);
      expect(visits).toEqual([
        {
          id: "v0",
          userId: "a",
          storeId: "s",
          firstSeenAt: utc(0),
          lastSeenAt: utc(9),
          cameraIds: ["door", "till"],
          sightings: 4,
          score: 0.9,
          ageBand: "35-44",
          gender: "female",
          demographicVotes: {
            ageBand: { "55-64": 1, "35-44": 2 },
            gender: { male: 1, female: 2 },
            order: ["a:55-64", "g:male", "a:35-44", "g:female"],
          },
          recentSightings: [],
        },
        {
          id: "v4",
          userId: "a",
          storeId: "s",
          firstSeenAt: utc(25),
          lastSeenAt: utc(35),
          cameraIds: ["aisle", "door"],
          sightings: 2,
          score: 0.65,
          ageBand: "45-54",
          gender: "female",
          demographicVotes: {
            ageBand: { "45-54": 1, "25-34": 1 },
            gender: { female: 1, male: 1 },
            order: ["a:45-54", "g:female", "a:25-34", "g:male"],
          },
          recentSightings: [],
        },
        expect.objectContaining({ id: "v6", storeId: "t", sightings: 1, ageBand: null, demographicVotes: null }),
        expect.objectContaining({ id: "v7", userId: "b", sightings: 1, cameraIds: ["door"] }),
      ]);
      // The stored values are what the application computes from the same votes.
      for (const v of visits.filter((v) => v.demographicVotes)) {
        expect(majority(v.demographicVotes as DemographicVotes)).toEqual({ ageBand: v.ageBand, gender: v.gender });
      }
      // The per-frame columns and their unique index are gone.
      const columns = (
        await c.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'Visit'`)
      ).rows.map((r) => r.column_name);
      expect(columns).not.toContain("frameId");
      expect(columns).not.toContain("seenAt");
    } finally {
      await c.end();
    }
  });
});
