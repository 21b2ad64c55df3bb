// Error reports carry ids and codes, never images, embeddings, e-mail addresses or phone numbers
// (invariant 8): callers pass ids only, and messages are scrubbed of anything shaped like either.
const EMAIL = /[^\s@"'<>]+@[^\s@"'<>]+\.[a-z]{2,}/gi;
const PHONE = /\+?\d[\d\s().-]{7,}\d/g;

export function scrub(text: string): string {
  return text.replace(EMAIL, "[email]").replace(PHONE, "[phone]");
}

export function logError(where: string, err: unknown, ids: Record<string, string | number | undefined> = {}): void {
  const message = err instanceof Error ? err.message : String(err);
  const line = { level: "error", at: new Date().toISOString(), where, message: scrub(message), ...ids };
  console.error(JSON.stringify(line));
}
