// Typed domain errors. Routes and actions map them to HTTP status and user-facing text in one
// place (httpStatus below; messages in lib/i18n). The message is for logs: ids only, no personal data.
export const errorStatus = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  unknown_store: 404,
  unknown_purpose: 400,
  purpose_not_consentable: 400,
  stale_notice: 409,
  dependency_not_granted: 409,
  conflict: 409,
  bad_signature: 401,
  camera_disabled: 403,
  replayed: 409,
  not_jpeg: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  queue_full: 503,
  presence_token_invalid: 403,
  presence_token_wrong_store: 403,
  presence_token_expired: 410,
  display_not_paired: 403,
  pairing_invalid: 403,
  kiosk_not_paired: 403,
  kiosk_code_invalid: 403,
  kiosk_code_expired: 410,
  check_in_required: 409,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    // Seconds a client should wait before retrying (sent as Retry-After on 429 and 503).
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export function httpStatus(err: unknown): number {
  return err instanceof AppError ? errorStatus[err.code] : 500;
}

export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}
