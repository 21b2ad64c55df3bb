import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { env } from "./env.ts";

// One Prisma client per process. In Next.js dev, modules reload: keep it on globalThis.
const globalForPrisma = globalThis as unknown as { veilPrisma?: PrismaClient };

export function db(): PrismaClient {
  if (!globalForPrisma.veilPrisma) {
    // Fail fast when the database is unreachable (a job then fails and is retried with backoff)
    // instead of waiting forever for a connection.
    const adapter = new PrismaPg({
      connectionString: env().DATABASE_URL,
      connectionTimeoutMillis: 5_000,
      query_timeout: 60_000,
    });
    globalForPrisma.veilPrisma = new PrismaClient({ adapter });
  }
  return globalForPrisma.veilPrisma;
}

export async function disconnectDb(): Promise<void> {
  await globalForPrisma.veilPrisma?.$disconnect();
  globalForPrisma.veilPrisma = undefined;
}

export type Db = PrismaClient;
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
