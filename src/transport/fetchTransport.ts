import { fetch as crossFetch } from 'cross-fetch';
import { Observable } from 'rxjs';
import { brokenBodyAgent } from './brokenBodyAgent.js';
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

const defaultFetch = crossFetch as unknown as FetchLike;
/** cross-fetch in Node is node-fetch, which needs help to notice a body cut short. */
const isNodeFetch = (crossFetch as { ponyfill?: boolean }).ponyfill === true && typeof window === 'undefined';

/**
 * A {@link Transport} over the fetch API: cross-fetch by default (node-fetch
 * in Node, `window.fetch` in browsers), or the `fetch` you pass.
 *
 * Each subscription sends one request with its own `AbortController`;
 * unsubscribing aborts it, so the connection closes at once. A failure to get
 * a whole response errors with the fetch error as `cause`.
 */
export function fetchTransport(fetchImpl: FetchLike = defaultFetch): Transport {
  const guardBodies = fetchImpl === defaultFetch && isNodeFetch;
  return {
    request: (request: HttpRequest) =>
      new Observable<HttpResponse>((subscriber) => {
        // An already-closed subscriber (a chain that ended while subscribing) sends nothing.
        if (subscriber.closed) return;
        const controller = new AbortController();
        let stage = 'no response';
        let brokenBody = false;
        const fail = (error: unknown) => {
          if (brokenBody) {
            subscriber.error(new Error('the connection closed before the body was complete', { cause: error }));
            return;
          }
          if (controller.signal.aborted) return;
          const detail = error instanceof Error ? error.message : String(error);
          subscriber.error(new Error(`${stage}: ${detail}`, { cause: error }));
        };
        try {
          const init: Parameters<FetchLike>[1] & { agent?: unknown } = {
            method: request.method,
            headers: { ...request.headers },
            signal: controller.signal,
          };
          if (request.body !== undefined) init.body = request.body;
          if (guardBodies) {
            init.agent = brokenBodyAgent(request.url, () => {
              if (subscriber.closed) return;
              brokenBody = true;
              controller.abort();
            });
          }
          fetchImpl(request.url, init)
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
