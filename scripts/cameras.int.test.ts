// `npm run cameras` as an operator runs it, against the test database: add a camera, rotate its
// secret into a file; the old secret is refused at once, the new one (read from the file, never
// printed) is accepted, and the rotation is audited.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "../lib/db.ts";
import { isAppError } from "../lib/errors/app-error.ts";
import { makeStore } from "../tests/fixtures.ts";
import { sendFrame } from "../tests/send-frame.ts";
import { queue } from "../lib/jobs/queues.ts";

const root = path.resolve(import.meta.dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "veil-cameras-"));
const jobs: string[] = [];

afterAll(async () => {
  for (const id of jobs) await (await queue("frames").getJob(id))?.remove();
  rmSync(dir, { recursive: true, force: true });
});

function cameras(...args: string[]) {
  const r = spawnSync("npm", ["run", "--silent", "cameras", "--", ...args], {
    cwd: root,
    env: process.env,
    encoding: "utf8",
    timeout: 50_000,
  });
  expect(r.status, `npm run cameras -- ${args.join(" ")}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

let ts = Math.floor(Date.now() / 1000) - 20;
async function send(cameraId: string, secret: string) {
  const body = Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
    randomBytes(16),
    Buffer.alloc(200, 7),
    Buffer.from([0xff, 0xd9]),
  ]);
  const frameId = await sendFrame({ cameraId, secret }, body, { timestamp: ts++ });
  jobs.push(`frame.analyze-${frameId}`);
  return frameId;
}

describe("npm run cameras", () => {
  it("rotate: the old secret stops working at once, the new one from --secret-file works, audited", async () => {
    const store = await makeStore();
    const added = JSON.parse(cameras("add", "--store", store.slug, "--name", "CLI door", "--json")) as {
      cameraId: string;
      secret: string;
    };
    await expect(send(added.cameraId, added.secret)).resolves.toMatch(/^[0-9a-f-]{36}$/);
    expect(cameras("list", "--store", store.slug)).toContain(`${added.cameraId}\t${store.slug}\tenabled\tCLI door`);

    const file = path.join(dir, "door.secret");
    const out = cameras("rotate", "--camera", added.cameraId, "--secret-file", file);
    const secret = readFileSync(file, "utf8").trim();
    expect(secret).toMatch(/\S{20,}/);
    expect(secret).not.toBe(added.secret);
    expect(out).not.toContain(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    expect(isAppError(await send(added.cameraId, added.secret).catch((e) => e), "bad_signature")).toBe(true);
    await expect(send(added.cameraId, secret)).resolves.toMatch(/^[0-9a-f-]{36}$/);
    const audit = await db().auditLog.findMany({
      where: { targetType: "Camera", targetId: added.cameraId },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.action, a.actorRole])).toEqual([
      ["camera.register", "SYSTEM"],
      ["camera.rotate_secret", "SYSTEM"],
    ]);
  });

  it("rotate of an unknown camera fails with a message and a non-zero exit, changing nothing", () => {
    const r = spawnSync("npm", ["run", "--silent", "cameras", "--", "rotate", "--camera", "no-such-camera"], {
      cwd: root,
      env: process.env,
      encoding: "utf8",
      timeout: 50_000,
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/camera not found/);
  });
});
