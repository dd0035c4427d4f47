import { ClipstreamError } from './ClipstreamError.js';

/** What a failed HTTP exchange was about; never holds the API key. */
export interface RequestInfo {
  readonly method: string;
  /** The full URL; the key travels in a header, never here. */
  readonly url: string;
  /** 1 for the first try, 2 for the first retry, ... */
  readonly attempt: number;
}

/** What an `HttpError` is made of. */
export interface HttpErrorFields {
  readonly request: RequestInfo;
  readonly status: number;
  readonly body?: unknown;
  readonly retryAfter?: number | undefined;
  /** A short reason taken from the body (`{"message": ...}`, `{"error": ...}`), if any: it ends the message. */
  readonly detail?: string | undefined;
  readonly requestId?: string | undefined;
}

/**
 * The server answered with a status outside 2xx (a redirect included: they
 * are never followed), or reported an error in a 2xx body.
 *
 * 401, 403 and other 4xx are never retried; 408, 429 and every 5xx are retried
 * with backoff (see `retry` in the client options) and this error is what is
 * left when the budget runs out.
 */
export class HttpError extends ClipstreamError {
  /** What `instanceof` compares across copies of clipstream. @internal */
  static override readonly errorName = 'HttpError';
  override readonly name = 'HttpError' as const;
  readonly method: string;
  readonly url: string;
  readonly attempt: number;
  /** The API's id for the request, when the answer gave one (`requestId` in the body, or `x-request-id`): quote it to support. */
  readonly requestId: string | undefined;

  /** HTTP status code, e.g. 503. */
  readonly status: number;
  /** The body as parsed JSON when it was JSON, else as text (at most 1,000 characters). */
  readonly body: unknown;
  /** Milliseconds the server asked to wait (`Retry-After`), when it said so. */
  readonly retryAfter: number | undefined;

  constructor(fields: HttpErrorFields) {
    const { request, status, detail, requestId } = fields;
    super(`${request.method} ${request.url} answered HTTP ${status}${detail ? `: ${detail}` : ''}${requestId ? ` (request id ${requestId})` : ''}`);
    this.method = request.method;
    this.url = request.url;
    this.attempt = request.attempt;
    this.status = status;
    this.body = fields.body;
    this.retryAfter = fields.retryAfter;
    this.requestId = requestId;
  }
}
