// Issue 10, row 6: the client address behind every per-address limit. The app is served by
// scripts/app-server.ts, which appends the socket's peer to X-Forwarded-For; a bare `next start`
// passed the client's own header through, so a client that forged a new address on each request
// escaped every per-address limit. Each request here leaves from a loopback address of its own
// (127.x.y.z: Linux routes the whole /8 to loopback), so the socket's peer is known to the test and
// no other spec's requests share its counters.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, createHmac, randomBytes, randomInt, randomUUID } from "node:crypto";
import { registerCamera } from "../../lib/cameras/register-camera.ts";
import { freePort } from "../../scripts/lib/free-port.ts";
import { SMTP_PORT, expect, test as base } from "../fixtures/test.ts";
import { askSignInLink, rawRequest, type Raw } from "../fixtures/raw-http.ts";

type Target = { port: number };

/** One request to the app on `target` from the local address `from`, with the headers an attacker writes. */
const raw = (
  target: Target,
  from: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
) => rawRequest({ port: target.port, from }, method, path, headers, body);

/** POST /api/auth/signin/email from `from`, both of its requests carrying the forged X-Forwarded-For. */
function askLink(target: Target, from: string, email: string, xff?: string): Promise<Raw> {
  const forged: Record<string, string> = xff ? { "x-forwarded-for": xff } : {};
  return askSignInLink({ port: target.port, from }, email, forged, forged);
}

const loopback = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const shopperAddress = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}@shopper.test`;
// Sign-in links per client address per 15 min (lib/auth/auth.ts).
const SIGNIN_LINKS_PER_ADDRESS = 60;

/** The production environment of the run's app on another port (the run's restricted database role, as scripts/e2e-server.ts gives the main app). */
const appEnv = (port: number, extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_ENV: "production",
  DATABASE_URL: process.env.VEIL_APP_DATABASE_URL ?? process.env.DATABASE_URL,
  APP_URL: `http://localhost:${port}`,
  SMTP_URL: `smtp://127.0.0.1:${SMTP_PORT}`,
  ...extra,
});

/** Starts `args` (npx) and waits until it answers /api/health or exits; the child leads its own process group. */
async function startServer(port: number, args: string[], env: NodeJS.ProcessEnv) {
  const child: ChildProcess = spawn("npx", args, { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d));
  child.stderr!.on("data", (d: Buffer) => (output += d));
  let exitCode: number | null | undefined;
  child.once("exit", (code) => (exitCode = code));
  const deadline = Date.now() + 60_000;
  let answered = false;
  while (exitCode === undefined && Date.now() < deadline) {
    answered = await raw({ port }, "127.0.0.1", "GET", "/api/health", {}).then(
      (r) => r.status === 200,
      () => false,
    );
    if (answered) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (exitCode !== undefined) return resolve();
      child.once("exit", () => resolve());
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        resolve();
      }
    });
  return { answered, exitCode: () => exitCode, output: () => output, stop };
}

/** A second app, as deployed behind one reverse proxy (TRUSTED_PROXY_HOPS=1), on the run's database. */
async function startProxiedApp(): Promise<{ target: Target; stop: () => Promise<void> }> {
  const port = await freePort();
  const server = await startServer(
    port,
    ["tsx", "scripts/app-server.ts", "-p", String(port)],
    appEnv(port, { TRUSTED_PROXY_HOPS: "1" }),
  );
  if (!server.answered) {
    await server.stop();
    throw new Error(`the second app-server did not answer /api/health:\n${server.output()}`);
  }
  return {
    target: { port },
    stop: server.stop,
  };
}

const test = base.extend<{ app: Target }, { proxiedApp: Target }>({
  app: async ({ baseURL }, use) => {
    await use({ port: Number(new URL(baseURL!).port) });
  },
  proxiedApp: [
    async ({}, use) => {
      const second = await startProxiedApp();
      await use(second.target);
      await second.stop();
    },
    { scope: "worker", timeout: 90_000 },
  ],
});

test.describe("row 6: a forged X-Forwarded-For does not escape the per-address limit", () => {
  test("no proxy (TRUSTED_PROXY_HOPS=0): a new forged address on every sign-in request still meets the limit of the socket's address", async ({
    app,
    mailbox,
  }) => {
    test.setTimeout(180_000);
    const from = loopback();
    const sent: string[] = [];
    for (let i = 0; i <= SIGNIN_LINKS_PER_ADDRESS; i++) {
      const email = shopperAddress(`forged${i}`);
      sent.push(email);
      // A single forged address, or a whole forged chain, never the same twice.
      await askLink(app, from, email, i % 2 ? `198.51.100.${i}` : `10.${i}.0.1, 203.0.113.${i}`);
    }
    const delivered = sent.filter((e) => mailbox.arrived(e).length > 0);
    expect(delivered).toHaveLength(SIGNIN_LINKS_PER_ADDRESS);
    expect(mailbox.arrived(sent.at(-1)!)).toEqual([]);
    // The limit belongs to that address, not to everyone: another address still gets its link.
    const other = shopperAddress("otheraddress");
    await askLink(app, loopback(), other, `198.51.100.200`);
    expect(mailbox.arrived(other)).toHaveLength(1);
  });

  test("no proxy: rotating forged addresses still meet the failed-signature limit of camera ingest", async ({
    app,
  }) => {
    const cam = await registerCamera({
      storeSlug: "demo",
      name: "forged address target",
      actor: { id: null, role: "SYSTEM" },
    });
    const from = loopback();
    const body = randomBytes(64).toString("hex");
    const post = (xff: string) => {
      const ts = String(Math.floor(Date.now() / 1000));
      const digest = createHash("sha256").update(body).digest("hex");
      const sig = createHmac("sha256", "a guess").update(`POST\n/api/ingest/frames\n${ts}\n${digest}`).digest("hex");
      return raw(
        app,
        from,
        "POST",
        "/api/ingest/frames",
        {
          "content-type": "image/jpeg",
          "x-veil-camera": cam.cameraId,
          "x-veil-timestamp": ts,
          "x-veil-signature": `v1=${sig}`,
          "x-forwarded-for": xff,
        },
        body,
      );
    };
    // 30 failed signatures per client address and camera per minute (lib/ingest/accept-frame.ts).
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await post(`192.0.2.${i + 1}`)).status);
    expect(
      statuses.slice(0, 30).every((s) => s === 401),
      statuses.join(","),
    ).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  test("behind one trusted proxy (TRUSTED_PROXY_HOPS=1): the entry the proxy wrote is the client, whatever the client put before it", async ({
    proxiedApp,
    mailbox,
  }) => {
    test.setTimeout(180_000);
    // The proxy connects from one address and appends what it saw; the client forges the rest.
    const proxy = loopback();
    const proxySaw = `203.0.113.${randomInt(1, 255)}`;
    const sent: string[] = [];
    for (let i = 0; i <= SIGNIN_LINKS_PER_ADDRESS; i++) {
      const email = shopperAddress(`behind${i}`);
      sent.push(email);
      await askLink(proxiedApp, proxy, email, `10.9.${i}.${i}, ${proxySaw}`);
    }
    const delivered = sent.filter((e) => mailbox.arrived(e).length > 0);
    expect(delivered).toHaveLength(SIGNIN_LINKS_PER_ADDRESS);
    expect(mailbox.arrived(sent.at(-1)!)).toEqual([]);
    // Through the same proxy, a client the proxy saw elsewhere is another client: it is not the
    // proxy's own (socket) address that was limited.
    const other = shopperAddress("behindother");
    await askLink(proxiedApp, proxy, other, `10.9.0.0, 198.51.100.${randomInt(1, 255)}`);
    expect(mailbox.arrived(other)).toHaveLength(1);
  });
});

test.describe("row 6: the app is never served production by a bare `next start`", () => {
  test("`next start` in production refuses to start, naming scripts/app-server.ts: it would believe the client's X-Forwarded-For", async () => {
    test.setTimeout(90_000);
    const port = await freePort();
    const server = await startServer(port, ["next", "start", "-p", String(port)], appEnv(port, {}));
    await server.stop();
    expect(server.answered, server.output()).toBe(false);
    expect(server.exitCode()).not.toBe(0);
    expect(server.output()).toContain("scripts/app-server.ts");
  });
});
