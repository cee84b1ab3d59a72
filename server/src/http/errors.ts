/**
 * The catalogue of API errors: each a code, its HTTP status and the message users see. Routes throw
 * `apiError(...)`; the one error handler in `app.ts` answers them.
 */
export const ApiErrors = {
  MESSAGE_NOT_FOUND: { status: 404, message: 'Message not found' },
  NOT_FOUND: { status: 404, message: 'Not found' },
  BAD_REQUEST: { status: 400, message: 'Bad request' },
  // The API. Mailpit answers bad input with 400 and a text message, missing things with 404.
  BAD_SEARCH: { status: 400, message: 'Invalid search query' },
  SEARCH_TOO_EXPENSIVE: { status: 503, message: 'Search too expensive: narrow it' },
  PART_NOT_FOUND: { status: 404, message: 'Part not found' },
  // Mailpit's swagger lists only 200 and 400 for a thumbnail, and Mailpit answers an unknown part 400.
  THUMB_PART_NOT_FOUND: { status: 400, message: 'Part not found' },
  NO_HTML: { status: 404, message: 'This message has no HTML part' },
  TAG_NOT_FOUND: { status: 404, message: 'Tag not found' },
  SEND_REFUSED: { status: 400, message: 'Cannot send this message' },
  // Ours: /api/v1/wait answers 408 when the messages did not arrive in time.
  WAIT_TIMEOUT: { status: 408, message: 'No matching message arrived in time' },
  SHUTTING_DOWN: { status: 503, message: 'Pigeonhole is shutting down' },
  // --ui-auth: the answer carries `WWW-Authenticate: Basic` so that browsers ask for credentials.
  UNAUTHORIZED: { status: 401, message: 'Authentication required' },
  FORBIDDEN: { status: 403, message: 'Forbidden' },
  // State changes take JSON only: a form or text body is what a cross-site page can send unasked.
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported media type: send application/json' },
  // Release and chaos (Mailpit answers these with 400 and a text message too).
  RELAY_NOT_CONFIGURED: {
    status: 400,
    message: 'Releasing is not configured: start Pigeonhole with --smtp-relay-host',
  },
  RELAY_FAILED: { status: 400, message: 'SMTP error' },
  CHAOS_NOT_ENABLED: { status: 400, message: 'Chaos is not enabled' },
  // The spam check answers 400 without a filter, as Mailpit does without --enable-spamassassin.
  SPAM_CHECK_DISABLED: {
    status: 400,
    message: 'The spam check is not enabled: start Pigeonhole with --spamassassin HOST:PORT or --rspamd URL',
  },
  // DNS records for the authentication checks (PUT /api/v1/dns).
  DNS_RECORDS_INVALID: { status: 400, message: 'Invalid DNS records' },
} as const;

export type ApiErrorCode = keyof typeof ApiErrors;

/** An error with an HTTP status, answered as `{ Error: message }` (or plain text where Mailpit does). */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Builds the error for a catalogue code, optionally with a more precise message. */
export function apiError(code: ApiErrorCode, message?: string): ApiError {
  const entry = ApiErrors[code];
  return new ApiError(code, entry.status, message ?? entry.message);
}
