import { NextResponse, type NextRequest } from "next/server";
import { appOrigin, isAppHost } from "./lib/http/app-origin.ts";
import { securityHeaders } from "./lib/http/security-headers.ts";
import { env } from "./lib/env.ts";

// Runs before every page, action and route. A request naming another host than APP_URL's (Host or
// X-Forwarded-Host) is answered 421 and goes no further: Auth.js and Next.js build absolute URLs
// from those headers, and a sign-in link built for "evil.example" hands its token to that site.
// A state-changing request from another site's page (Origin not ours) is refused here with 403:
// Next.js would refuse a server action too, but as a 500, and route handlers not at all.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function proxy(req: NextRequest) {
  if (!isAppHost(req.headers)) {
    return NextResponse.json(
      { error: "misdirected", message: "This server answers only for its configured address (APP_URL)." },
      { status: 421 },
    );
  }
  if (!SAFE_METHODS.has(req.method)) {
    const origin = req.headers.get("origin");
    if ((origin && origin !== appOrigin().origin) || req.headers.get("sec-fetch-site") === "cross-site") {
      return NextResponse.json(
        { error: "forbidden", message: "Requests from other sites are refused." },
        { status: 403 },
      );
    }
  }
  // A fresh nonce per request: Next.js reads it from the request's CSP and puts it on its scripts.
  const nonce = Buffer.from(crypto.randomUUID()).toString("base64");
  const headers = securityHeaders({ appUrl: env().APP_URL, nonce, dev: env().NODE_ENV === "development" });
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", headers["Content-Security-Policy"]!);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}

// Not matched: static files; machine endpoints (cameras, health checks, scrapers), reached by
// address, building no links and answering no redirects; and the two upload routes (camera frames,
// the kiosk's enrolment burst). Next.js buffers the body of every request the proxy sees until the
// client has sent all of it, so uploads bypass it and check Host and Origin themselves, reading
// their body with a limit as it arrives.
export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/ingest|api/health|api/metrics|s/[a-z0-9-]+/kiosk/burst).*)"],
};
