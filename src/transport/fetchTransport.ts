import { fetch as crossFetch } from 'cross-fetch';
import { Observable } from 'rxjs';
import type { HttpRequest, HttpResponse, Transport } from './Transport.js';

/** The part of the fetch API clipstream uses; `window.fetch`, node-fetch and undici all fit. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<{
  status: number;
  headers: { forEach(callback: (value: string, name: string) => void): void };
  text(): Promise<string>;
}>;

/**
 * A {@link Transport} over the fetch API: cross-fetch by default (node-fetch
 * in Node, `window.fetch` in browsers), or the `fetch` you pass.
 *
 * Each subscription sends one request with its own `AbortController`;
 * unsubscribing aborts it, so the connection closes at once. A failure to get
 * a whole response errors with the fetch error as `cause`.
 */
export function fetchTransport(fetchImpl: FetchLike = crossFetch as unknown as FetchLike): Transport {
  return {
    request: (request: HttpRequest) =>
      new Observable<HttpResponse>((subscriber) => {
        // An already-closed subscriber (a chain that ended while subscribing) sends nothing.
        if (subscriber.closed) return;
        const controller = new AbortController();
        let stage = 'no response';
        const fail = (error: unknown) => {
          if (controller.signal.aborted) return;
          const detail = error instanceof Error ? error.message : String(error);
          subscriber.error(new Error(`${stage}: ${detail}`, { cause: error }));
        };
        try {
          const init = { method: request.method, headers: { ...request.headers }, signal: controller.signal };
          fetchImpl(request.url, request.body === undefined ? init : { ...init, body: request.body })
            .then(async (response) => {
              stage = 'the body broke off';
              const headers: Record<string, string> = {};
              response.headers.forEach((value, name) => {
                headers[name.toLowerCase()] = value;
              });
              const body = await response.text();
              subscriber.next({ status: response.status, headers, body });
              subscriber.complete();
            })
            .catch(fail);
        } catch (error) {
          fail(error);
        }
        return () => controller.abort();
      }),
  };
}
