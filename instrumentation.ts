// Runs once when the Next.js server starts: a missing or malformed variable (in production also
// SMTP_URL and METRICS_TOKEN, lib/env.ts) stops it there, before it answers any request.
export async function register() {
  // Next.js's own phase and runtime markers, not settings: lib/env.ts has no business with them.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { env } = await import("./lib/env.ts");
  try {
    env();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
