// Security headers of every page, decided per request at run time (not when the image is built):
// a fresh nonce for the scripts Next.js inlines, so the CSP needs no 'unsafe-inline' for scripts
// ('strict-dynamic' lets those scripts load the app's chunks); HSTS whenever APP_URL is https.
// Styles keep 'unsafe-inline': React writes style attributes, which nonces cannot cover.

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(opts: { appUrl: string; nonce: string; dev: boolean }): Record<string, string> {
  const headers: Record<string, string> = { "Content-Security-Policy": contentSecurityPolicy(opts.nonce, opts.dev) };
  if (new URL(opts.appUrl).protocol === "https:")
    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}
