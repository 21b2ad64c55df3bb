// Runs once when the Next.js server starts: a missing or malformed variable (in production also
// SMTP_URL and METRICS_TOKEN, lib/env.ts), or production served without scripts/app-server.ts,
// stops it there, before it answers any request.
export async function register() {
  // Next.js's own phase and runtime markers, not settings: lib/env.ts has no business with them.
  // eslint-disable-next-line no-restricted-properties
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { env } = await import("./lib/env.ts");
  const { peerAppended } = await import("./lib/http/peer-appended.ts");
  try {
    // A bare `next start` passes a client's own X-Forwarded-For through: every per-address limit
    // would trust it (README "Security", row 6).
    if (env().NODE_ENV === "production" && !peerAppended())
      throw new Error(
        "serve the app with `npx tsx scripts/app-server.ts` (as `npm start` does), not a bare `next start`: that one believes the client's X-Forwarded-For",
      );
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
