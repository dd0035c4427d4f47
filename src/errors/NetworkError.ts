import { ClipstreamError } from './ClipstreamError.js';
import type { RequestInfo } from './HttpError.js';

/** Why no usable answer came back. */
export type NetworkErrorReason =
  /** The connection failed or broke before a full response arrived. */
  | 'connection'
  /** No response within `requestTimeout`. */
  | 'timeout'
  /** A 2xx response whose body is not JSON (truncated, or an HTML error page). */
  | 'body';

/**
 * No usable response: a refused or dropped connection, the client's own
 * request timeout, or a body that is not JSON. Always retried within the
 * retry budget; this error is what is left when the budget runs out.
 */
export class NetworkError extends ClipstreamError {
  override readonly name = 'NetworkError' as const;
  readonly method: string;
  readonly url: string;
  readonly attempt: number;

  constructor(
    request: RequestInfo,
    readonly reason: NetworkErrorReason,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${request.method} ${request.url} failed: ${detail}`, options);
    this.method = request.method;
    this.url = request.url;
    this.attempt = request.attempt;
  }
}
