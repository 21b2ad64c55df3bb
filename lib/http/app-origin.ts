import { env } from "../env.ts";

/** The one origin links and redirects may point at: APP_URL's, never a request header. */
export function appOrigin(): URL {
  return new URL(new URL(env().APP_URL).origin);
}

// "example.com:443" and "example.com" name the same https host: compare as URL parsing writes them.
function normalHost(h: string, protocol: string): string | null {
  try {
    return new URL(`${protocol}//${h.trim()}`).host.toLowerCase();
  } catch {
    return null;
  }
}

/** True when the request names the configured host, in Host and (if sent) X-Forwarded-Host. */
export function isAppHost(headers: Headers): boolean {
  const app = appOrigin();
  const want = app.host.toLowerCase();
  const host = headers.get("host");
  const forwarded = headers.get("x-forwarded-host")?.split(",")[0];
  return (
    (!host || normalHost(host, app.protocol) === want) && (!forwarded || normalHost(forwarded, app.protocol) === want)
  );
}
