import type { Observable } from 'rxjs';

/** One HTTP request, as clipstream sends it. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A complete HTTP response; the body is read as text and parsed above the transport. */
export interface HttpResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * What clipstream sends HTTP requests through.
 *
 * `request` returns a cold Observable: subscribing sends the request, the
 * response is emitted once, then it completes. Unsubscribing before that
 * aborts the request at once. A request that gets no response at all errors
 * (with any error: the client turns it into a retryable `NetworkError` naming
 * the request); any HTTP status is a response, not an error.
 *
 * The default is {@link fetchTransport} over cross-fetch; `clipstream/testing`
 * has a scripted one for marble tests.
 */
export interface Transport {
  request(request: HttpRequest): Observable<HttpResponse>;
}
