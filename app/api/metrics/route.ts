import { NextResponse } from "next/server";
import { env } from "@/lib/env.ts";
import { readMetrics } from "@/lib/metrics/metrics.ts";
import { renderPrometheus } from "@/lib/metrics/render-prometheus.ts";
import { queueDepths } from "@/lib/jobs/queue-depths.ts";
import { bearerMatches } from "@/lib/http/bearer.ts";

export const dynamic = "force-dynamic";

/**
 * Prometheus endpoint. Scrapers must send METRICS_TOKEN as a bearer token (without one configured
 * nobody may read it): veil_matches_total tells when recognised shoppers are in a store.
 */
export async function GET(req: Request) {
  if (!bearerMatches(req.headers, env().METRICS_TOKEN)) {
    return NextResponse.json({ error: "unauthenticated" }, { status: 401 });
  }
  try {
    const [stored, queues] = await Promise.all([readMetrics(), queueDepths()]);
    return new NextResponse(renderPrometheus(stored, queues), {
      headers: { "content-type": "text/plain; version=0.0.4" },
    });
  } catch {
    return NextResponse.json(
      { error: "unavailable", message: "Redis is not reachable" },
      { status: 503, headers: { "retry-after": "5" } },
    );
  }
}
