// Zero-configuration secrets for the demo and the tests: generated once into .data/secrets.json
// (mode 600) and reused, unless the environment provides them.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export type Secrets = {
  AUTH_SECRET: string;
  TEMPLATE_KEYS: string;
  TEMPLATE_KEY_ID: string;
  SUBJECT_HASH_KEY: string;
  METRICS_TOKEN: string;
};

export function generateSecrets(): Secrets {
  return {
    AUTH_SECRET: randomBytes(32).toString("base64url"),
    TEMPLATE_KEYS: `k1:${randomBytes(32).toString("base64")}`,
    TEMPLATE_KEY_ID: "k1",
    SUBJECT_HASH_KEY: randomBytes(32).toString("base64url"),
    METRICS_TOKEN: randomBytes(24).toString("base64url"),
  };
}

export function loadOrCreateSecrets(dataDir: string): Secrets {
  const file = path.resolve(dataDir, "secrets.json");
  let stored: Partial<Secrets> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, "utf8")) as Partial<Secrets>;
  const fresh = generateSecrets();
  const merged = { ...fresh, ...stored };
  if (!existsSync(file) || Object.keys(stored).length !== Object.keys(merged).length) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(merged, null, 2), { mode: 0o600 });
  }
  // The environment wins over the file.
  const env = process.env as Partial<Secrets>;
  return {
    AUTH_SECRET: env.AUTH_SECRET ?? merged.AUTH_SECRET,
    TEMPLATE_KEYS: env.TEMPLATE_KEYS ?? merged.TEMPLATE_KEYS,
    TEMPLATE_KEY_ID: env.TEMPLATE_KEY_ID ?? merged.TEMPLATE_KEY_ID,
    SUBJECT_HASH_KEY: env.SUBJECT_HASH_KEY ?? merged.SUBJECT_HASH_KEY,
    METRICS_TOKEN: env.METRICS_TOKEN ?? merged.METRICS_TOKEN,
  };
}
