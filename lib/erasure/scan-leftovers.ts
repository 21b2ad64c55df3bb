import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { db } from "../db.ts";
import { env } from "../env.ts";
import { key, ready, redis, scanKeys } from "../redis.ts";

// The proof of absence behind erasure (invariant 6), and the tests' view of "nothing left".
// Generic on purpose: tables come from the catalogue, Redis keys from SCAN, files from a walk of
// DATA_DIR, so a table, key or file added later is covered without changing this file.

export type Needles = { userId: string; email?: string | null; pseudonym?: string | null; templateId?: string | null };
export type NeedleName = "userId" | "email" | "pseudonym" | "templateId" | "userIdDigest" | "emailDigest";

export type Hit = {
  store: "postgres" | "redis" | "file";
  // table name, Redis key or file path relative to DATA_DIR, with any needle in it masked
  location: string;
  needle: NeedleName;
  count: number;
  // Redis: the key's type; for BullMQ job hashes the queue and job id, so a caller can remove it
  redisType?: string;
  job?: { queue: string; id: string };
};

export type ScanOptions = {
  // Rows left out of the scan, by primary key: erasure's own request row, which holds its progress
  // until the transaction that writes the receipt replaces it.
  skipRows?: { table: string; id: string }[];
};

export type ScanReport = {
  scanned: { tables: number; rows: number; redisKeys: number; files: number; needles: NeedleName[] };
  hits: Hit[];
};

// The embedded servers keep their own files under DATA_DIR; their content is scanned through the
// servers themselves (every table, every key) rather than as pages on disk.
const SERVER_DIRS = new Set(["pg", "redis"]);

/** What to look for: the identifiers themselves and the digests lib/rate-limit.ts keys by. */
export function needleList(n: Needles): { name: NeedleName; value: string }[] {
  const digest = (s: string) => createHash("sha256").update(s.toLowerCase()).digest("hex").slice(0, 32);
  const out: { name: NeedleName; value: string }[] = [
    { name: "userId", value: n.userId },
    { name: "userIdDigest", value: digest(n.userId) },
  ];
  if (n.email)
    out.push({ name: "email", value: n.email.toLowerCase() }, { name: "emailDigest", value: digest(n.email) });
  if (n.pseudonym) out.push({ name: "pseudonym", value: n.pseudonym });
  if (n.templateId) out.push({ name: "templateId", value: n.templateId });
  // Compared lower-case on both sides; a short needle would match by chance.
  return out.map((x) => ({ ...x, value: x.value.toLowerCase() })).filter((x) => x.value.length >= 8);
}

function mask(s: string, needles: { value: string }[]): string {
  let out = s;
  for (const n of needles) out = out.split(n.value).join("<erased>");
  return out;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function scanPostgres(
  needles: { name: NeedleName; value: string }[],
  hits: Hit[],
  skip: ScanOptions["skipRows"] = [],
) {
  const tables = await db().$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`;
  let rows = 0;
  for (const { table_name } of tables) {
    // Each row as PostgreSQL prints it (every column, JSON included), lower-cased once.
    const counts = needles.map((_, i) => `count(*) FILTER (WHERE strpos(r.t, $${i + 1}) > 0)::int AS n${i}`).join(", ");
    const skipped = skip.filter((s) => s.table === table_name).map((s) => s.id);
    const where = skipped.length ? ` WHERE x."id" <> ALL($${needles.length + 1}::text[])` : "";
    const sql = `SELECT count(*)::int AS total${counts ? ", " + counts : ""} FROM (SELECT lower(x::text) AS t FROM ${quoteIdent(table_name)} x${where}) r`;
    const params: unknown[] = needles.map((n) => n.value);
    if (skipped.length) params.push(skipped);
    const [res] = await db().$queryRawUnsafe<Record<string, number>[]>(sql, ...params);
    rows += res!.total!;
    needles.forEach((n, i) => {
      const c = res![`n${i}`]!;
      if (c > 0) hits.push({ store: "postgres", location: table_name, needle: n.name, count: c });
    });
  }
  return { tables: tables.length, rows };
}

export async function redisValues(r: Awaited<ReturnType<typeof ready>>, k: string, type: string): Promise<Buffer[]> {
  switch (type) {
    case "string":
      return [(await r.getBuffer(k)) ?? Buffer.alloc(0)];
    case "hash":
      return r.hgetallBuffer(k).then((h) => Object.entries(h).flatMap(([f, v]) => [Buffer.from(f), v]));
    case "list":
      return r.lrangeBuffer(k, 0, -1);
    case "set":
      return r.smembersBuffer(k);
    case "zset":
      return r.zrangeBuffer(k, 0, -1);
    case "stream": {
      const entries = (await r.xrangeBuffer(k, "-", "+")) as unknown as [Buffer, Buffer[]][];
      return entries.flatMap(([id, fields]) => [id, ...fields]);
    }
    default:
      return [];
  }
}

export type RedisLeftover = {
  key: string;
  type: string;
  needles: NeedleName[];
  inName: boolean;
  job?: { queue: string; id: string };
};

/** Every key under the prefix whose name or value holds a needle (raw key names: keep them internal). */
export async function findRedisLeftovers(
  needles: { name: NeedleName; value: string }[],
): Promise<{ scanned: number; found: RedisLeftover[] }> {
  const r = await ready(redis("producer"));
  const prefix = key("");
  const bull = `${key("bull")}:`;
  const found: RedisLeftover[] = [];
  let scanned = 0;
  // Every master of a cluster, or the one server (lib/redis.ts).
  const keys = await scanKeys(r, `${prefix}*`);
  for (const k of keys) {
    const type = await r.type(k);
    if (type === "none") continue; // expired between SCAN and TYPE
    scanned++;
    const name = k.toLowerCase();
    const text =
      name +
      "\n" +
      Buffer.concat(await redisValues(r, k, type))
        .toString("latin1")
        .toLowerCase();
    const hit = needles.filter((n) => text.includes(n.value)).map((n) => n.name);
    if (!hit.length) continue;
    // BullMQ keeps each job as a hash at <prefix>:bull:<queue>:<id> with its data and return value.
    const rest = k.startsWith(bull) ? k.slice(bull.length).split(":") : [];
    const job = type === "hash" && rest.length === 2 ? { queue: rest[0]!, id: rest[1]! } : undefined;
    found.push({
      key: k,
      type,
      needles: hit,
      inName: needles.some((n) => name.includes(n.value)),
      ...(job ? { job } : {}),
    });
  }
  return { scanned, found };
}

async function scanRedis(needles: { name: NeedleName; value: string }[], hits: Hit[]) {
  const { scanned, found } = await findRedisLeftovers(needles);
  for (const f of found) {
    for (const n of f.needles)
      hits.push({
        store: "redis",
        location: mask(f.key, needles),
        needle: n,
        count: 1,
        redisType: f.type,
        ...(f.job ? { job: f.job } : {}),
      });
  }
  return scanned;
}

async function walk(dir: string, rel = ""): Promise<string[]> {
  const entries = await readdir(path.join(dir, rel), { withFileTypes: true }).catch((e: NodeJS.ErrnoException) =>
    e.code === "ENOENT" ? [] : Promise.reject(e),
  );
  const out: string[] = [];
  for (const e of entries) {
    const r = rel ? path.join(rel, e.name) : e.name;
    if (e.isDirectory()) {
      if (!rel && SERVER_DIRS.has(e.name)) continue;
      out.push(...(await walk(dir, r)));
    } else if (e.isFile()) out.push(r);
  }
  return out;
}

async function scanFiles(needles: { name: NeedleName; value: string }[], hits: Hit[]) {
  const root = path.resolve(env().DATA_DIR);
  const files = await walk(root);
  for (const f of files) {
    const bytes = await readFile(path.join(root, f)).catch((e: NodeJS.ErrnoException) =>
      e.code === "ENOENT" ? null : Promise.reject(e),
    );
    if (!bytes) continue; // removed while we walked
    const text = (f + "\n" + bytes.toString("latin1")).toLowerCase();
    for (const n of needles)
      if (text.includes(n.value)) hits.push({ store: "file", location: mask(f, needles), needle: n.name, count: 1 });
  }
  return files.length;
}

/**
 * Looks for the subject in every table of the schema, every Redis key under the deployment's
 * prefix (name and value of strings, hashes, lists, sets, sorted sets, streams; BullMQ jobs are
 * hashes) and every file under DATA_DIR (name and content). Hits name where, never the value.
 */
export async function scanLeftovers(n: Needles, opts: ScanOptions = {}): Promise<ScanReport> {
  const needles = needleList(n);
  const hits: Hit[] = [];
  const pg = await scanPostgres(needles, hits, opts.skipRows);
  const redisKeys = await scanRedis(needles, hits);
  const files = await scanFiles(needles, hits);
  return { scanned: { tables: pg.tables, rows: pg.rows, redisKeys, files, needles: needles.map((x) => x.name) }, hits };
}
