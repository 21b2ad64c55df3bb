// docker-compose.yml, the Dockerfile and the example env files are not run here (no Docker engine
// where the tests run), so this keeps them in step with the code that is: every service gets an
// environment lib/env.ts accepts in production, the app and workers connect as the restricted role
// the migrate service creates (never as the owner, whose password they never see), the app is
// served by scripts/app-server.ts, and every file a command names exists.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { appEnvSchema, envSchema } from "../lib/env.ts";
import { appRoleName } from "./lib/db-roles.ts";

const root = path.resolve(import.meta.dirname, "..");
const read = (f: string) => readFileSync(path.join(root, f), "utf8");

/** KEY=VALUE lines, as compose reads an env file (comments and blank lines skipped). */
function envFile(f: string): Record<string, string> {
  return Object.fromEntries(
    read(f)
      .split("\n")
      .filter((l) => l.trim() && !l.trimStart().startsWith("#"))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

type Service = {
  environment?: Record<string, string>;
  env_file?: string;
  command?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
};
const compose = parse(read("docker-compose.yml"), { merge: true }) as { services: Record<string, Service> };
const composeVars = envFile(".env.example");
const interpolate = (v: string) =>
  v.replace(/\$\{(\w+)\}/g, (_, k: string) => {
    expect(composeVars, `\${${k}} is in .env.example`).toHaveProperty(k);
    return composeVars[k]!;
  });

/** What a service's process sees: its env_file, then its environment, then the image's NODE_ENV. */
function serviceEnv(name: string): Record<string, string> {
  const s = compose.services[name]!;
  const fromFile = s.env_file ? envFile(`${s.env_file}.example`) : {};
  const own = Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]));
  return { ...fromFile, ...own, NODE_ENV: /ENV NODE_ENV=(\w+)/.exec(read("Dockerfile"))![1]! };
}

describe("docker-compose.yml", () => {
  const nodeServices = ["migrate", "app", "workers"];

  it("gives the app, the workers and the migrator an environment lib/env.ts accepts in production", () => {
    for (const name of nodeServices) {
      const e = serviceEnv(name);
      expect(e.NODE_ENV, name).toBe("production");
      const parsed = envSchema.safeParse(e);
      expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`), name).toEqual(
        [],
      );
    }
  });

  it("sets no variable lib/env.ts does not know (a renamed one would be silently ignored)", () => {
    const known = new Set([...Object.keys(appEnvSchema.shape), "VEIL_APP_DB_PASSWORD"]);
    for (const name of nodeServices)
      expect(
        Object.keys(serviceEnv(name)).filter((k) => !known.has(k)),
        name,
      ).toEqual([]);
  });

  it("connects the app and the workers as the restricted role the migrator creates, never as the owner", () => {
    const owner = new URL(serviceEnv("migrate").DATABASE_URL!);
    expect(serviceEnv("migrate").VEIL_APP_DB_PASSWORD).toBeTruthy();
    expect(compose.services.migrate!.command!.join(" ")).toContain("scripts/migrate.ts");
    for (const name of ["app", "workers"]) {
      const e = serviceEnv(name);
      const url = new URL(e.DATABASE_URL!);
      expect(url.username, name).toBe(appRoleName(owner.toString()));
      expect(url.password, name).toBe(serviceEnv("migrate").VEIL_APP_DB_PASSWORD);
      expect(`${url.host}${url.pathname}`, name).toBe(`${owner.host}${owner.pathname}`);
      expect(Object.values(e).join("\n"), `${name} never holds the owner's password`).not.toContain(owner.password);
    }
    expect(interpolate(compose.services.postgres!.environment!.POSTGRES_PASSWORD!)).toBe(owner.password);
  });

  it("serves the app through scripts/app-server.ts on the published port, and names only files that exist", () => {
    const cmd = JSON.parse(/^CMD (.+)$/m.exec(read("Dockerfile"))![1]!) as string[];
    expect(cmd).toContain("scripts/app-server.ts");
    const port = cmd[cmd.indexOf("-p") + 1];
    expect(compose.services.app!.ports).toEqual([`${port}:${port}`]);
    expect(compose.services.app!.healthcheck!.test.join(" ")).toContain(`127.0.0.1:${port}/api/health`);
    const named = [cmd, ...Object.values(compose.services).map((s) => s.command ?? [])]
      .flatMap((c) => c.join(" ").match(/[\w/.-]+\.ts\b/g) ?? [])
      .concat(/docker compose run --rm app npx tsx (\S+)/.exec(read("docker-compose.yml"))?.[1] ?? []);
    expect(named.length).toBeGreaterThan(3);
    for (const f of named) expect(existsSync(path.join(root, f)), f).toBe(true);
  });

  it("keeps the host's secrets and local servers out of the image", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const p of [".data", ".env", "veil.env", "node_modules", ".next"]) expect(ignored, p).toContain(p);
  });
});
