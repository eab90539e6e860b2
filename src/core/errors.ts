/**
 * One error type with a stable code. Every code maps to an HTTP status and a CLI exit code;
 * adding a code without a mapping fails to compile (`satisfies`). Documented in docs/errors.md.
 */

export const ERROR_CODES = {
  VALIDATION_FAILED: { http: 400, exit: 2 },
  INPUT_TOO_LARGE: { http: 413, exit: 2 },
  UNKNOWN_PURPOSE: { http: 400, exit: 2 },
  UNKNOWN_CHANNEL: { http: 400, exit: 2 },
  INVALID_DATE: { http: 400, exit: 2 },
  UNKNOWN_CUSTOMER: { http: 404, exit: 3 },
  UNKNOWN_PRODUCT: { http: 404, exit: 3 },
  CUSTOMER_EXISTS: { http: 409, exit: 4 },
  UNAUTHENTICATED: { http: 401, exit: 5 },
  FORBIDDEN: { http: 403, exit: 5 },
  NOT_FOUND: { http: 404, exit: 3 },
  IMPORT_FAILED: { http: 422, exit: 1 },
  CONFIG_INVALID: { http: 500, exit: 6 },
  STORE_UNAVAILABLE: { http: 503, exit: 7 },
  TEMPLATE_INVALID: { http: 422, exit: 2 },
  TEMPLATE_IN_USE: { http: 409, exit: 4 },
  CAMPAIGN_STATE: { http: 409, exit: 4 },
  SUPPRESSION_NOT_LIFTABLE: { http: 409, exit: 4 },
  SUPPRESSION_LIFT_NEEDS_NOTE: { http: 422, exit: 2 },
  SUPPRESSION_ALREADY_LIFTED: { http: 409, exit: 4 },
  LAUNCH_NOT_DELIVERABLE: { http: 409, exit: 6 },
  RECENT_DUPLICATE: { http: 409, exit: 4 },
  USER_EXISTS: { http: 409, exit: 4 },
  SIGN_IN_FAILED: { http: 401, exit: 5 },
  SIGN_IN_LOCKED: { http: 429, exit: 5 },
  CSRF_FAILED: { http: 403, exit: 5 },
  LINK_INVALID: { http: 410, exit: 2 },
  INVALID_SEGMENT_RULE: { http: 400, exit: 2 },
  SEGMENT_EXISTS: { http: 409, exit: 4 },
  SEGMENT_IN_USE: { http: 409, exit: 4 },
  UNKNOWN_TOPIC: { http: 400, exit: 2 },
  TOPIC_EXISTS: { http: 409, exit: 4 },
  UNKNOWN_CALL: { http: 404, exit: 3 },
  UNKNOWN_RECORDING: { http: 404, exit: 3 },
  RECORDING_BEFORE_NOTICE: { http: 422, exit: 2 },
  RECORDING_FORMAT_INVALID: { http: 415, exit: 2 },
  RATE_LIMITED: { http: 429, exit: 5 },
  UNKNOWN_PHONE_SALE: { http: 404, exit: 3 },
  PHONE_SALE_STATE: { http: 409, exit: 4 },
  OFFER_EXISTS: { http: 409, exit: 4 },
  OFFER_ALREADY_ANSWERED: { http: 409, exit: 4 },
  AD_AUDIENCE_EXISTS: { http: 409, exit: 4 },
  AD_PLATFORM_NOT_CONFIGURED: { http: 409, exit: 6 },
  AD_PLATFORM_UNAVAILABLE: { http: 502, exit: 7 },
  AD_SYNC_RUNNING: { http: 409, exit: 4 },
  FEEDBACK_LINK_INVALID: { http: 404, exit: 3 },
  FEEDBACK_LINK_EXPIRED: { http: 410, exit: 2 },
  FEEDBACK_ALREADY_ANSWERED: { http: 409, exit: 4 },
  AD_SERVER_NOT_CONFIGURED: { http: 503, exit: 6 },
  REMARKETING_LIST_EXISTS: { http: 409, exit: 4 },
  INTERNAL: { http: 500, exit: 1 },
} as const satisfies Record<string, { http: number; exit: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** The input field the error is about, when there is one (e.g. `purpose`, `address.postalCode`). */
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, opts: { field?: string; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.field = opts.field;
    this.details = opts.details;
  }

  toJSON(): Record<string, unknown> {
    return {
      error: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export function isDomainError(err: unknown): err is DomainError {
  return err instanceof DomainError;
}
