import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { expect, test } from "../fixtures/test.ts";
import { registerCamera } from "../../lib/cameras/register-camera.ts";

// A camera vendor reads README and /api/openapi.json, not our code: the README's signing examples
// are run here exactly as written, against the real app, and must get their frame accepted.
const readme = readFileSync(path.resolve(import.meta.dirname, "../../README.md"), "utf8");

function example(name: string): string {
  const m = new RegExp(`<!-- example: ${name} -->\\n\`\`\`\\w+\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (!m) throw new Error(`README.md has no example "${name}"`);
  return m[1]!;
}

for (const [name, interpreter] of [
  ["ingest-curl", "bash"],
  ["ingest-python", "python3"],
] as const) {
  test(`README's ${name} example posts a signed frame that is accepted`, async ({ baseURL }) => {
    const camera = await registerCamera({
      storeSlug: "demo",
      name: `README ${name}`,
      actor: { id: null, role: "SYSTEM" },
    });
    const dir = mkdtempSync(path.join(tmpdir(), "veil-example-"));
    // A frame of its own per example: two examples in one second with one body would be a replay.
    const frame = await sharp({
      create: { width: 64, height: 48, channels: 3, background: name === "ingest-curl" ? "#357" : "#753" },
    })
      .jpeg()
      .toBuffer();
    writeFileSync(path.join(dir, "frame.jpg"), frame);
    writeFileSync(path.join(dir, "example"), example(name));
    const out = execFileSync(interpreter, ["example"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, VEIL_URL: baseURL!, CAMERA_ID: camera.cameraId, CAMERA_SECRET: camera.secret },
    });
    expect(JSON.parse(out)).toEqual({ frameId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });
}

test("/api/openapi.json is served and describes the ingest route with its signature headers", async ({ request }) => {
  const res = await request.get("/api/openapi.json");
  expect(res.status()).toBe(200);
  const doc = (await res.json()) as {
    openapi: string;
    paths: Record<string, { post?: { parameters: { name: string }[] } }>;
  };
  expect(doc.openapi).toBe("3.1.0");
  expect(doc.paths["/api/ingest/frames"]!.post!.parameters.map((p) => p.name)).toEqual([
    "x-veil-camera",
    "x-veil-timestamp",
    "x-veil-signature",
  ]);
});
