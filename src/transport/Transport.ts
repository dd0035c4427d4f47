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
  /** The HTTP status; 0 for a redirect a browser hides (`redirect: 'manual'` gives an opaque response). */
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
 * aborts the request at once. Any HTTP status is a response, not an error;
 * redirects are responses too and are never followed. A request that gets no
 * whole response errors: with a {@link TransportError} to say why, or with any
 * other error, which counts as a connection failure (retried).
 *
 * The default is {@link fetchTransport} over the platform's `fetch`;
 * `clipstream/testing` has a scripted one for marble tests.
 */
export interface Transport {
  request(request: HttpRequest): Observable<HttpResponse>;
}
