import { LATENCY_BUCKETS } from "./metrics.ts";

const HELP: Record<string, [string, string]> = {
  veil_frames_rejected_total: ["counter", "Ingest requests refused, by reason"],
  veil_frames_accepted_total: ["counter", "Frames accepted at ingest"],
  veil_frames_processed_total: [
    "counter",
    "Frame jobs finished, by outcome (analyzed, corrupt, expired, camera-gone, camera-disabled)",
  ],
  veil_faces_counted_total: ["counter", "Faces counted anonymously"],
  veil_matches_total: ["counter", "Visits recorded for consenting shoppers"],
  veil_job_failures_total: ["counter", "Job attempts that failed, by job name"],
  veil_frame_latency_seconds: ["histogram", "Ingest to end of analysis"],
  veil_queue_jobs: ["gauge", "Jobs in each queue by state"],
};

/** Prometheus text exposition of the stored counters plus live queue depths. */
export function renderPrometheus(
  stored: Record<string, string>,
  queues: Record<string, Record<string, number>>,
): string {
  const out: string[] = [];
  const seen = new Set<string>();
  const head = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const [type, help] = HELP[name] ?? ["counter", name];
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  };
  for (const [field, value] of Object.entries(stored).sort()) {
    const base = field.split("{")[0]!.replace(/_(bucket|sum|count)$/, "");
    head(base);
    out.push(`${field} ${value}`);
  }
  if (!seen.has("veil_frame_latency_seconds")) {
    head("veil_frame_latency_seconds");
    for (const le of [...LATENCY_BUCKETS.map(String), "+Inf"])
      out.push(`veil_frame_latency_seconds_bucket{le="${le}"} 0`);
    out.push("veil_frame_latency_seconds_sum 0", "veil_frame_latency_seconds_count 0");
  }
  head("veil_queue_jobs");
  for (const [q, counts] of Object.entries(queues))
    for (const [state, n] of Object.entries(counts)) out.push(`veil_queue_jobs{queue="${q}",state="${state}"} ${n}`);
  return `${out.join("\n")}\n`;
}
