import pino, { type DestinationStream } from "pino";
import { scrub } from "./scrub.ts";

// Structured JSON logs. Ids only (invariant 8): fields that could carry personal data or biometric
// data are redacted by name, and every message string is scrubbed of e-mail addresses and phone
// numbers in case one slipped into an error text.
export const REDACTED_PATHS = [
  "email",
  "*.email",
  "phone",
  "*.phone",
  "image",
  "*.image",
  "jpeg",
  "*.jpeg",
  "embedding",
  "*.embedding",
  "template",
  "*.template",
  "secret",
  "*.secret",
  "password",
  "*.password",
  "headers.cookie",
  "*.headers.cookie",
  "headers.authorization",
];

export function createLogger(destination?: DestinationStream) {
  return pino(
    {
      level: process.env.LOG_LEVEL ?? "info",
      base: { service: process.env.VEIL_SERVICE ?? "veil" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === "string" ? scrub(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

export const logger = createLogger();
