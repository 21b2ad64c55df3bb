import { logger } from "./logger.ts";
import { scrub } from "./scrub.ts";

export { scrub };

// Error reports carry ids and codes, never images, embeddings, e-mail addresses or phone numbers
// (invariant 8): callers pass ids only, and the logger redacts and scrubs the rest.
export function logError(where: string, err: unknown, ids: Record<string, string | number | undefined> = {}): void {
  const message = err instanceof Error ? err.message : String(err);
  logger.error({ where, ...ids }, scrub(message));
}
