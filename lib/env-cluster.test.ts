import { describe, expect, it } from "vitest";
import { parseSettings } from "./config/parse-settings.ts";
import { envSchema } from "./env.ts";

// The environment a deployment gives, minus what these cases vary.
const base = {
  DATABASE_URL: "postgresql://veil@db/veil",
  AUTH_SECRET: "x".repeat(32),
  TEMPLATE_KEYS: `k1:${Buffer.alloc(32).toString("base64")}`,
  TEMPLATE_KEY_ID: "k1",
  SUBJECT_HASH_KEY: "y".repeat(32),
};
const parse = (extra: Record<string, string>) => parseSettings(envSchema, { ...base, ...extra }, "environment");

describe("Redis Cluster settings", () => {
  it("refuse a prefix that is not one hash tag once REDIS_CLUSTER_NODES is set (BullMQ's keys of a queue must share a slot)", () => {
    expect(() => parse({ REDIS_CLUSTER_NODES: "10.0.0.1:6379,10.0.0.2:6379" })).toThrow(
      /REDIS_PREFIX: must be a hash tag such as \{veil\} when REDIS_CLUSTER_NODES is set/,
    );
    expect(() => parse({ REDIS_CLUSTER_NODES: "10.0.0.1:6379", REDIS_PREFIX: "shop1" })).toThrow(/\{shop1\}/);
    expect(parse({ REDIS_CLUSTER_NODES: "10.0.0.1:6379,redis-b:7000", REDIS_PREFIX: "{veil}" })).toMatchObject({
      REDIS_CLUSTER_NODES: "10.0.0.1:6379,redis-b:7000",
      REDIS_PREFIX: "{veil}",
    });
  });

  it("refuse a malformed node list and a half hash tag, and keep the single-server default", () => {
    expect(() => parse({ REDIS_CLUSTER_NODES: "10.0.0.1", REDIS_PREFIX: "{veil}" })).toThrow(
      /REDIS_CLUSTER_NODES: comma-separated host:port/,
    );
    expect(() => parse({ REDIS_CLUSTER_NODES: "10.0.0.1:6379, 10.0.0.2:6379", REDIS_PREFIX: "{veil}" })).toThrow(
      /REDIS_CLUSTER_NODES/,
    );
    expect(() => parse({ REDIS_PREFIX: "{veil" })).toThrow(/REDIS_PREFIX/);
    expect(parse({})).toMatchObject({ REDIS_PREFIX: "veil" });
    expect(parse({}).REDIS_CLUSTER_NODES).toBeUndefined();
  });
});
