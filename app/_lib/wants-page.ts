/**
 * True when a browser is navigating to the URL (a link followed, an address typed): it asks for
 * text/html. Routes that answer programs with JSON send such a visitor to a page instead, since a
 * raw JSON error is unreadable there; fetch(), curl and other programs keep the JSON.
 */
export function wantsPage(req: Request): boolean {
  return (req.headers.get("accept") ?? "").toLowerCase().includes("text/html");
}
