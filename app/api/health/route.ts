import { NextResponse } from "next/server";
import { checkDatabase } from "@/lib/health/check-database.ts";
import { ready, redis } from "@/lib/redis.ts";
import { verifyModels } from "@/lib/models/model-files.ts";
import { queueDepths } from "@/lib/jobs/queue-depths.ts";
import { env } from "@/lib/env.ts";
import { bearerMatches } from "@/lib/http/bearer.ts";
import type { HealthDetail, HealthPublic } from "@/lib/health/health-contract.ts";

export const dynamic = "force-dynamic";

// Hashing the model files costs ~50 ms: checked once a minute per process.
let models: { at: number; status: string } = { at: 0, status: "unknown" };

function modelStatus(): string {
  if (Date.now() - models.at > 60_000) {
    const { problems } = verifyModels({ throwOnError: false });
    models = {
      at: Date.now(),
      status: problems.length ? `missing or altered: ${problems.map((p) => p.name).join(", ")}` : "ok",
    };
  }
  return models.status;
}

/**
 * Database, Redis, queues and models: 200 when all answer, 503 otherwise. Anyone may ask whether the
 * app is up; the details (queue depths, memory) only with the METRICS_TOKEN bearer token.
 */
export async function GET(req: Request) {
  const [database, cache, queues] = await Promise.all([
    checkDatabase(),
    ready(redis("producer"), 1000)
      .then((r) => r.ping())
      .then(
        () => "ok",
        () => "down",
      ),
    queueDepths().catch(() => null),
  ]);
  const model = modelStatus();
  const ok = database === "ok" && cache === "ok" && queues !== null && model === "ok";
  if (!bearerMatches(req.headers, env().METRICS_TOKEN))
    return NextResponse.json({ status: ok ? "ok" : "degraded" } satisfies HealthPublic, { status: ok ? 200 : 503 });
  return NextResponse.json(
    {
      status: ok ? "ok" : "degraded",
      database,
      redis: cache,
      queues: queues ?? "down",
      models: model,
      rssMb: Math.round(process.memoryUsage().rss / 1048576),
    } satisfies HealthDetail,
    { status: ok ? 200 : 503 },
  );
}
