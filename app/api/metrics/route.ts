import { NextResponse } from "next/server";
import { env } from "@/lib/env.ts";
import { readMetrics } from "@/lib/metrics/metrics.ts";
import { renderPrometheus } from "@/lib/metrics/render-prometheus.ts";
import { queueDepths } from "@/lib/jobs/queue-depths.ts";

export const dynamic = "force-dynamic";

/**
 * Prometheus endpoint. When METRICS_TOKEN is set, scrapers must send it as a bearer token;
 * counters hold codes and job names only, no personal data.
 */
export async function GET(req: Request) {
  const token = env().METRICS_TOKEN;
  if (token && req.headers.get("authorization") !== `Bearer ${token}`) {
    return NextResponse.json({ error: "unauthenticated" }, { status: 401 });
  }
  try {
    const [stored, queues] = await Promise.all([readMetrics(), queueDepths()]);
    return new NextResponse(renderPrometheus(stored, queues), { headers: { "content-type": "text/plain; version=0.0.4" } });
  } catch {
    return NextResponse.json({ error: "unavailable", message: "Redis is not reachable" }, { status: 503, headers: { "retry-after": "5" } });
  }
}
