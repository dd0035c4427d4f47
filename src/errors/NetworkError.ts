import { ClipstreamError } from './ClipstreamError.js';
import type { RequestInfo } from './HttpError.js';

/**
 * Why no usable answer came back. Retried: `connection`, `timeout`,
 * `truncated`, `body`. Not retried, since asking again cannot help:
 * `too-large`, `empty`, `request`.
 */
export type NetworkErrorReason =
  /** The connection failed or broke before a response arrived. */
  | 'connection'
  /** No response within the request's timeout. */
  | 'timeout'
  /** The body broke off before its end. */
  | 'truncated'
  /** A 2xx whose body is not JSON (an HTML error page from a proxy, say). */
  | 'body'
  /** A 2xx with no body where the API always sends one (a 204, or zero bytes). */
  | 'empty'
  /** The body was larger than `maxResponseBytes` and was abandoned at the limit. */
  | 'too-large'
  /** The request could not be sent at all: a header value or URL that fetch refuses. */
  | 'request';

/**
 * No usable response: a refused or dropped connection, the client's own
 * request timeout, a body cut short, too large, empty or not JSON, or a
 * request that could not be sent. `reason` says which; whether it was
 * retried follows from it (see docs/watching.md, "Retries").
 */
export class NetworkError extends ClipstreamError {
  /** What `instanceof` compares across copies of clipstream. @internal */
  static override readonly errorName = 'NetworkError';
  override readonly name = 'NetworkError' as const;
  readonly method: string;
  readonly url: string;
  readonly attempt: number;

  constructor(
    request: RequestInfo,
    readonly reason: NetworkErrorReason,
    detail: string,
  ) {
    super(`${request.method} ${request.url} failed: ${detail}`);
    this.method = request.method;
    this.url = request.url;
    this.attempt = request.attempt;
  }
}
