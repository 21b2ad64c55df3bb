// Any origin would do: a target is kept only if resolving it changes nothing but the path.
const PROBE = "http://veil.invalid";

/**
 * Only same-site relative paths may be redirect targets (no open redirects via callbackUrl or
 * next). Control characters and backslashes are refused before parsing, because URL parsing drops
 * tab/CR/LF silently ("/\t/evil.example" would become "//evil.example"); what is left is resolved
 * and kept only if it stays on the same origin. Callers resolve the path against APP_URL.
 */
export function safePath(v: unknown, fallback = "/"): string {
  if (typeof v !== "string" || !v.startsWith("/") || v.startsWith("//") || /[\u0000-\u001f\u007f\\]/.test(v))
    return fallback;
  try {
    const u = new URL(v, PROBE);
    if (u.origin !== PROBE) return fallback;
    return u.pathname + u.search + u.hash;
  } catch {
    return fallback;
  }
}
