// "Consent in force" exists twice by design: isInForce() in TypeScript (pages, receipts) and
// veil_consent_in_force() in SQL (the visit insert and the gallery, where it must hold at the
// instant of writing). This proves the twins agree on every combination of state and notices.
import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { makeStore, makeUser, publishNotice } from "../../tests/fixtures.ts";
import { isInForce, type ProjectedState } from "./projection.ts";

async function sqlInForce(userId: string, storeId: string, purpose: string): Promise<boolean> {
  const [row] = await db().$queryRaw<
    { ok: boolean }[]
  >`SELECT veil_consent_in_force(${userId}, ${storeId}, ${purpose}) AS ok`;
  return row!.ok;
}

describe("veil_consent_in_force() and isInForce()", () => {
  it("agree for every state, notice version and material history", async () => {
    const states: (ProjectedState | undefined)[] = [undefined];
    for (const status of ["GRANTED", "REVOKED"] as const)
      for (const noticeVersion of [1, 2, 3]) states.push({ status, noticeVersion });
    // Notice histories: v1 material only; v2 editorial on top; v2 material on top; v3 material after an editorial v2.
    const histories: { version: number; material: boolean }[][] = [
      [],
      [{ version: 2, material: false }],
      [{ version: 2, material: true }],
      [
        { version: 2, material: false },
        { version: 3, material: true },
      ],
    ];
    let checked = 0;
    for (const history of histories) {
      const store = await makeStore(); // publishes v1, material
      for (const n of history) await publishNotice(store.id, n.version, n.material);
      const materialVersion = Math.max(1, ...history.filter((n) => n.material).map((n) => n.version));
      for (const state of states) {
        const user = await makeUser();
        if (state) {
          await db().consentState.create({
            data: {
              userId: user.id,
              storeId: store.id,
              purposeCode: "recognition",
              status: state.status,
              noticeVersion: state.noticeVersion,
              lastEventId: 0n,
            },
          });
        }
        expect({ state, history, sql: await sqlInForce(user.id, store.id, "recognition") }).toEqual({
          state,
          history,
          sql: isInForce(state, materialVersion),
        });
        checked++;
      }
    }
    expect(checked).toBe(28);
  });

  it("is about one purpose at one store only", async () => {
    const [a, b] = [await makeStore(), await makeStore()];
    const user = await makeUser();
    await db().consentState.create({
      data: {
        userId: user.id,
        storeId: a.id,
        purposeCode: "recognition",
        status: "GRANTED",
        noticeVersion: 1,
        lastEventId: 0n,
      },
    });
    expect(await sqlInForce(user.id, a.id, "recognition")).toBe(true);
    expect(await sqlInForce(user.id, b.id, "recognition")).toBe(false);
    expect(await sqlInForce(user.id, a.id, "demographics")).toBe(false);
  });
});
