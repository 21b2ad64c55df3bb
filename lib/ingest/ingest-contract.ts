import { z } from "zod";
import type { ErrorCode } from "../errors/app-error.ts";
import { HEADER_PATTERNS, SIGNATURE_HEADERS } from "./frame-signature.ts";

// The camera ingest API as integrators see it: one source for the OpenAPI document
// (/api/openapi.json), README's error table and the route's 202 body, so they cannot drift apart.
// Each error's HTTP status is not repeated here: it is errorStatus's (lib/errors/app-error.ts).

export const ingestHeaders = z.object({
  [SIGNATURE_HEADERS.camera]: z
    .string()
    .regex(HEADER_PATTERNS.camera)
    .describe("The camera id printed when the camera was registered."),
  [SIGNATURE_HEADERS.timestamp]: z
    .string()
    .regex(HEADER_PATTERNS.timestamp)
    .describe(
      "Capture time: Unix time in whole seconds, or in milliseconds (13 digits, so several frames a second each carry their own time, as people counting needs); refused when more than CLOCK_SKEW_SECONDS (default 60) from the server's clock.",
    ),
  [SIGNATURE_HEADERS.signature]: z
    .string()
    .regex(HEADER_PATTERNS.signature)
    .describe(
      "`v1=` and the hex HMAC-SHA256, under the camera secret, of `POST\\n/api/ingest/frames\\n<timestamp>\\n<hex sha256 of the body>`. Each signature is accepted once.",
    ),
});

export const frameAccepted = z.object({
  frameId: z.uuid().describe("Id of the queued frame; the bytes live only in Redis until analysed (30 s at most)."),
});
export type FrameAccepted = z.infer<typeof frameAccepted>;

/** Every error answer an ingest request can get, with what the camera should do about it. */
export const INGEST_ERRORS = [
  {
    code: "bad_signature",
    meaning: "Unknown camera, missing or wrong signature, or a timestamp outside the allowed clock skew.",
    retry: "no: fix the secret or the clock",
  },
  { code: "camera_disabled", meaning: "An administrator disabled this camera.", retry: "no" },
  {
    code: "replayed",
    meaning: "This exact signed request was already received.",
    retry: "no: sign each frame with a new timestamp",
  },
  { code: "unsupported_media_type", meaning: "content-type is not image/jpeg.", retry: "no" },
  {
    code: "payload_too_large",
    meaning: "The body is over FRAME_MAX_BYTES (default 2 MB); refused before it is read whole.",
    retry: "no",
  },
  { code: "not_jpeg", meaning: "The body does not start and end like a JPEG.", retry: "no" },
  {
    code: "rate_limited",
    meaning: "Over CAMERA_MAX_FPS frames this second, or too many failed signatures from this address for this camera.",
    retry: "after Retry-After seconds",
  },
  {
    code: "queue_full",
    meaning:
      "back-pressure: the workers would not finish this frame before it expires (measured drain rate, oldest waiting frame), or FRAME_QUEUE_LIMIT frames are waiting.",
    retry: "after Retry-After seconds",
  },
  { code: "unavailable", meaning: "Redis is unreachable; nothing was kept.", retry: "after Retry-After seconds" },
] as const satisfies readonly { code: ErrorCode; meaning: string; retry: string }[];

/** The JSON body of an error answer; `codes` narrows `error` to those a response can carry. */
export function apiError(codes?: readonly [string, ...string[]]) {
  return z.object({
    error: (codes ? z.enum(codes) : z.string()).describe("A stable machine-readable code (see the error table)."),
    message: z.string().describe("English text for logs and developers; never personal data."),
  });
}
