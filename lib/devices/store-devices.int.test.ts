import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { isAppError } from "../errors/app-error.ts";
import { authenticateDevice } from "./authenticate-device.ts";
import { createDevicePairing } from "./create-device-pairing.ts";
import { pairDevice } from "./pair-device.ts";
import { revokeDevice } from "./revoke-device.ts";

// The display's use cases, as the entrance display calls them (the kiosk's are the same code).
const createDisplayPairing = (o: Omit<Parameters<typeof createDevicePairing>[0], "kind">) =>
  createDevicePairing({ ...o, kind: "DISPLAY" });
const pairDisplay = (o: Omit<Parameters<typeof pairDevice>[0], "kind">) => pairDevice({ ...o, kind: "DISPLAY" });
const authenticateDisplay = (o: Omit<Parameters<typeof authenticateDevice>[0], "kind">) =>
  authenticateDevice({ ...o, kind: "DISPLAY" });
const revokeDisplay = revokeDevice;
import { PAIRING_MINUTES, newDeviceSecret } from "./device-secret.ts";

// Entrance displays are paired devices: a one-time code becomes a long-lived credential, only
// hashes are stored, and a revoked, unknown or other store's credential shows no presence code.
async function admin() {
  const u = await makeUser("ADMIN");
  return { id: u.id, role: "ADMIN" };
}

async function codeOf(run: () => Promise<unknown>) {
  const err = await run().then(
    () => null,
    (e: unknown) => e,
  );
  return isAppError(err) ? err.code : err;
}

describe("entrance display pairing", () => {
  it("pairs once with the code, keeps only hashes, and audits create and pair in their transactions", async () => {
    const store = await makeStore();
    const p = await createDisplayPairing({ storeSlug: store.slug, name: "Door", actor: await admin() });
    expect(p.pairingPath).toBe(`/s/${store.slug}/display/pair?code=${p.code}`);
    const paired = await pairDisplay({ storeSlug: store.slug, code: p.code });
    expect(await codeOf(() => pairDisplay({ storeSlug: store.slug, code: p.code }))).toBe("pairing_invalid");

    const row = await db().storeDevice.findUniqueOrThrow({ where: { id: p.deviceId } });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(p.code);
    expect(stored).not.toContain(paired.credential);
    expect(row).toMatchObject({ pairingCodeHash: null, revokedAt: null });
    expect(row.credentialHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await authenticateDisplay({ storeId: store.id, credential: paired.credential })).id).toBe(p.deviceId);

    const audits = await db().auditLog.findMany({ where: { targetId: p.deviceId }, orderBy: { id: "asc" } });
    expect(audits.map((a) => [a.action, a.actorRole])).toEqual([
      ["display.create", "ADMIN"],
      ["display.pair", "DEVICE"],
    ]);
  });

  it("refuses an expired code, another store's code and a made-up one, pairing nothing", async () => {
    const [store, other] = [await makeStore(), await makeStore()];
    const now = new Date();
    const late = await createDisplayPairing({ storeSlug: store.slug, name: "Late", actor: await admin(), now });
    expect(
      await codeOf(() =>
        pairDisplay({
          storeSlug: store.slug,
          code: late.code,
          now: new Date(now.getTime() + PAIRING_MINUTES * 60_000 + 1),
        }),
      ),
    ).toBe("pairing_invalid");
    const elsewhere = await createDisplayPairing({ storeSlug: store.slug, name: "Elsewhere", actor: await admin() });
    expect(await codeOf(() => pairDisplay({ storeSlug: other.slug, code: elsewhere.code }))).toBe("pairing_invalid");
    expect(await codeOf(() => pairDisplay({ storeSlug: store.slug, code: newDeviceSecret() }))).toBe("pairing_invalid");
    expect(await codeOf(() => pairDisplay({ storeSlug: store.slug, code: "short" }))).toBe("pairing_invalid");
    expect(
      await db().storeDevice.count({ where: { storeId: { in: [store.id, other.id] }, credentialHash: { not: null } } }),
    ).toBe(0);
    expect(
      await db().auditLog.count({ where: { action: "display.pair", storeId: { in: [store.id, other.id] } } }),
    ).toBe(0);
  });

  it("a revoked display, another store's display, no credential or a made-up one: display_not_paired", async () => {
    const [store, other] = [await makeStore(), await makeStore()];
    const actor = await admin();
    const p = await createDisplayPairing({ storeSlug: store.slug, name: "Door", actor });
    const { credential } = await pairDisplay({ storeSlug: store.slug, code: p.code });
    expect(await codeOf(() => authenticateDisplay({ storeId: other.id, credential }))).toBe("display_not_paired");
    expect(await codeOf(() => authenticateDisplay({ storeId: store.id, credential: undefined }))).toBe(
      "display_not_paired",
    );
    expect(await codeOf(() => authenticateDisplay({ storeId: store.id, credential: newDeviceSecret() }))).toBe(
      "display_not_paired",
    );

    await revokeDisplay({ deviceId: p.deviceId, actor });
    expect(await codeOf(() => authenticateDisplay({ storeId: store.id, credential }))).toBe("display_not_paired");
    expect(
      (await db().auditLog.findFirstOrThrow({ where: { targetId: p.deviceId, action: "display.revoke" } })).actorId,
    ).toBe(actor.id);
    // A pending pairing that is revoked cannot be used either.
    const pending = await createDisplayPairing({ storeSlug: store.slug, name: "Spare", actor });
    await revokeDisplay({ deviceId: pending.deviceId, actor });
    expect(await codeOf(() => pairDisplay({ storeSlug: store.slug, code: pending.code }))).toBe("pairing_invalid");
  });

  it("only administrators create or revoke displays", async () => {
    const store = await makeStore();
    const support = await makeUser("SUPPORT");
    expect(
      await codeOf(() =>
        createDisplayPairing({ storeSlug: store.slug, name: "x", actor: { id: support.id, role: "SUPPORT" } }),
      ),
    ).toBe("forbidden");
    const p = await createDisplayPairing({ storeSlug: store.slug, name: "Door", actor: await admin() });
    expect(
      await codeOf(() => revokeDisplay({ deviceId: p.deviceId, actor: { id: support.id, role: "SUPPORT" } })),
    ).toBe("forbidden");
    expect((await db().storeDevice.findUniqueOrThrow({ where: { id: p.deviceId } })).revokedAt).toBeNull();
  });

  it("a kiosk pairs through the same path; its credential opens no display and a display's opens no kiosk", async () => {
    const store = await makeStore();
    const actor = await admin();
    const k = await createDevicePairing({ kind: "KIOSK", storeSlug: store.slug, name: "Kiosk", actor });
    expect(k.pairingPath).toBe(`/s/${store.slug}/kiosk/pair?code=${k.code}`);
    // A kiosk's pairing link does not pair a display, and the other way round.
    expect(await codeOf(() => pairDisplay({ storeSlug: store.slug, code: k.code }))).toBe("pairing_invalid");
    const kiosk = await pairDevice({ kind: "KIOSK", storeSlug: store.slug, code: k.code });
    const d = await createDisplayPairing({ storeSlug: store.slug, name: "Door", actor });
    expect(await codeOf(() => pairDevice({ kind: "KIOSK", storeSlug: store.slug, code: d.code }))).toBe(
      "pairing_invalid",
    );
    const display = await pairDisplay({ storeSlug: store.slug, code: d.code });

    expect((await authenticateDevice({ kind: "KIOSK", storeId: store.id, credential: kiosk.credential })).id).toBe(
      k.deviceId,
    );
    expect(await codeOf(() => authenticateDisplay({ storeId: store.id, credential: kiosk.credential }))).toBe(
      "display_not_paired",
    );
    expect(
      await codeOf(() => authenticateDevice({ kind: "KIOSK", storeId: store.id, credential: display.credential })),
    ).toBe("kiosk_not_paired");

    await revokeDevice({ deviceId: k.deviceId, actor });
    expect(
      await codeOf(() => authenticateDevice({ kind: "KIOSK", storeId: store.id, credential: kiosk.credential })),
    ).toBe("kiosk_not_paired");
    const audits = await db().auditLog.findMany({ where: { targetId: k.deviceId }, orderBy: { id: "asc" } });
    expect(audits.map((a) => a.action)).toEqual(["kiosk.create", "kiosk.pair", "kiosk.revoke"]);
  });
});
