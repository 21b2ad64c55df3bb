import { NextResponse } from "next/server";
import { db } from "@/lib/db.ts";
import { ready, redis } from "@/lib/redis.ts";

export const dynamic = "force-dynamic";

/** Liveness and dependencies: 200 when the database and Redis answer, 503 otherwise. */
export async function GET() {
  const [database, cache] = await Promise.all([
    db().$queryRaw`SELECT 1`.then(() => "ok", () => "down"),
    ready(redis("producer"), 1000).then((r) => r.ping()).then(() => "ok", () => "down"),
  ]);
  const ok = database === "ok" && cache === "ok";
  return NextResponse.json({ status: ok ? "ok" : "degraded", database, redis: cache }, { status: ok ? 200 : 503 });
}
