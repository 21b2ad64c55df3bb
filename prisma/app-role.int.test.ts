// The app role (scripts/lib/db-roles.ts) reads and appends to the audit log and the consent ledger
// but can never change, delete or empty them, whatever it sets; and a whole erasure still runs as
// that role, deleting the ledger only through veil_erase_ledger().
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRoleName, dropAppRole, ensureAppRole } from "../scripts/lib/db-roles.ts";

const ownerUrl = process.env.DATABASE_URL!;
const role = `${appRoleName(ownerUrl).slice(0, 40)}_t${randomUUID().slice(0, 6)}`;
let appUrl: string;
let app: pg.Client;

beforeAll(async () => {
  appUrl = await ensureAppRole(ownerUrl, randomBytes(18).toString("base64url"), role);
  app = new pg.Client({ connectionString: appUrl });
  await app.connect();
  // Everything lib/ does in this file runs as the app role.
  process.env.DATABASE_URL = appUrl;
  (await import("../lib/env.ts")).resetEnvForTests();
});

afterAll(async () => {
  await app?.end();
  const { disconnectDb } = await import("../lib/db.ts");
  const { closeRedis } = await import("../lib/redis.ts");
  const { closeQueues } = await import("../lib/jobs/queues.ts");
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  await dropAppRole(ownerUrl, role);
});

describe("the app's database role", () => {
  it("cannot UPDATE, DELETE or TRUNCATE the audit log or the ledger, even with the old erasure flag set", async () => {
    const { rows } = await app.query<{ current_user: string }>("SELECT current_user");
    expect(rows[0]!.current_user).toBe(role);
    for (const sql of [
      `DELETE FROM "AuditLog"`,
      `TRUNCATE "AuditLog"`,
      `UPDATE "AuditLog" SET action = 'x'`,
      `DELETE FROM "ConsentEvent"`,
      `TRUNCATE "ConsentEvent"`,
      `UPDATE "ConsentEvent" SET action = 'REVOKE'`,
    ]) {
      await expect(app.query(sql), sql).rejects.toThrow(/permission denied/);
    }
    await app.query("BEGIN");
    await app.query("SET LOCAL veil.erasure = 'on'");
    await expect(app.query(`DELETE FROM "AuditLog"`)).rejects.toThrow(/permission denied/);
    await app.query("ROLLBACK");
    // It reads both and may delete from the other tables; the erasure function refuses without a request.
    await app.query(`SELECT count(*) FROM "AuditLog"`);
    await app.query(`SELECT count(*) FROM "ConsentEvent"`);
    await app.query(`DELETE FROM "Visit" WHERE false`);
    await expect(app.query(`SELECT veil_erase_ledger('no-such-request')`)).rejects.toThrow(/erasure_request_required/);
    // No other role of the server may call the function.
    const owner = new pg.Client({ connectionString: ownerUrl });
    await owner.connect();
    const pub = await owner.query<{ ok: boolean }>(
      `SELECT bool_or(has_function_privilege('public', p.oid, 'EXECUTE')) AS ok FROM pg_proc p WHERE proname = 'veil_erase_ledger'`,
    );
    await owner.end();
    expect(pub.rows[0]!.ok).toBe(false);
  });

  it("runs a whole erasure: the ledger goes through veil_erase_ledger, the scan finds nothing, the chain verifies", async () => {
    const { db } = await import("../lib/db.ts");
    const { makeStore, makeUser } = await import("../tests/fixtures.ts");
    const { grantConsent } = await import("../lib/consent/grant-consent.ts");
    const { checkInWithToken } = await import("../tests/presence.ts");
    const { submitRequest } = await import("../lib/requests/submit-request.ts");
    const { approveRequest } = await import("../lib/requests/approve-request.ts");
    const { eraseSubject } = await import("../lib/erasure/erase-subject.ts");
    const { scanLeftovers } = await import("../lib/erasure/scan-leftovers.ts");
    const { verifyAuditChain } = await import("../lib/audit/verify-audit-chain.ts");
    expect((await db().$queryRaw<{ u: string }[]>`SELECT current_user AS u`)[0]!.u).toBe(role);

    const store = await makeStore();
    const user = await makeUser();
    const staff = await makeUser("SUPPORT");
    await grantConsent({ userId: user.id, storeSlug: store.slug, purpose: "recognition", noticeVersion: 1 });
    await checkInWithToken({ userId: user.id, storeSlug: store.slug });
    const request = await submitRequest({ userId: user.id, storeSlug: store.slug, kind: "ERASURE" });
    await approveRequest({ requestId: request.id, actor: { id: staff.id, role: "SUPPORT" } });
    const done = await eraseSubject(request.id);
    expect(done.status).toBe("COMPLETED");
    expect(done.receipt!.deleted).toMatchObject({ consentEvents: 1, checkIns: 1, users: 1, subjectKeys: 1 });
    expect((await scanLeftovers({ userId: user.id, email: user.email })).hits).toEqual([]);
    expect((await verifyAuditChain()).ok).toBe(true);
  });
});
