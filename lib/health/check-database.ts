import { db } from "../db.ts";

/** "ok" when PostgreSQL answers a trivial query, "down" otherwise (never throws). */
export function checkDatabase(): Promise<"ok" | "down"> {
  return db().$queryRaw`SELECT 1`.then(
    () => "ok" as const,
    () => "down" as const,
  );
}
