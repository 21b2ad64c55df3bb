import { describe, expect, it } from "vitest";
import { db } from "../db.ts";
import { makeStore, makeUser } from "../../tests/fixtures.ts";
import { isAppError } from "../errors/app-error.ts";
import { registerCamera } from "./register-camera.ts";
import { setCountingLine } from "./set-counting-line.ts";
import { getCountingLineView } from "./get-counting-line-view.ts";

const line = { x1: 0.1, y1: 0.5, x2: 0.9, y2: 0.5, band: 0.04 };

describe("a camera's counting line", () => {
  it("is set and cleared by an admin, each change with its audit record", async () => {
    const store = await makeStore();
    const cam = await registerCamera({ storeSlug: store.slug, name: "Door", actor: { id: null, role: "SYSTEM" } });
    const admin = await makeUser("ADMIN");
    const actor = { id: admin.id, role: "ADMIN" };
    expect(await setCountingLine({ cameraId: cam.cameraId, line, actor })).toEqual({
      cameraId: cam.cameraId,
      countingLine: line,
    });
    expect((await db().camera.findUniqueOrThrow({ where: { id: cam.cameraId } })).countingLine).toEqual(line);
    const view = await getCountingLineView({ cameraId: cam.cameraId, actor });
    expect(view).toMatchObject({ line, still: null, camera: { name: "Door" } });
    await setCountingLine({ cameraId: cam.cameraId, line: null, actor });
    expect((await db().camera.findUniqueOrThrow({ where: { id: cam.cameraId } })).countingLine).toBeNull();
    const audit = await db().auditLog.findMany({ where: { targetId: cam.cameraId }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([
      ["camera.register", null],
      ["camera.counting_line.set", admin.id],
      ["camera.counting_line.clear", admin.id],
    ]);
    expect(audit[1]!.details).toEqual({ countingLine: line });
  });

  it("refuses support staff, a line outside the frame or too short, and an unknown camera; nothing changes", async () => {
    const store = await makeStore();
    const cam = await registerCamera({ storeSlug: store.slug, name: "Door", actor: { id: null, role: "SYSTEM" } });
    const support = await makeUser("SUPPORT");
    const admin = { id: (await makeUser("ADMIN")).id, role: "ADMIN" };
    const refused = (p: Promise<unknown>) =>
      p.then(
        () => "saved",
        (e: unknown) => (isAppError(e) ? e.code : e),
      );
    expect(
      await refused(setCountingLine({ cameraId: cam.cameraId, line, actor: { id: support.id, role: "SUPPORT" } })),
    ).toBe("forbidden");
    expect(
      await refused(getCountingLineView({ cameraId: cam.cameraId, actor: { id: support.id, role: "SUPPORT" } })),
    ).toBe("forbidden");
    for (const bad of [
      { ...line, x2: 1.2 },
      { ...line, x2: 0.12 },
      { ...line, band: 0.5 },
      { ...line, y1: Number.NaN },
      { ...line, extra: 1 },
      "not a line",
    ])
      expect(
        await refused(setCountingLine({ cameraId: cam.cameraId, line: bad, actor: admin })),
        JSON.stringify(bad),
      ).toBe("invalid_input");
    expect(await refused(setCountingLine({ cameraId: "cam_nope", line, actor: admin }))).toBe("not_found");
    expect((await db().camera.findUniqueOrThrow({ where: { id: cam.cameraId } })).countingLine).toBeNull();
    expect(
      await db().auditLog.count({ where: { targetId: cam.cameraId, action: { startsWith: "camera.counting" } } }),
    ).toBe(0);
  });
});
