import { Observable } from 'rxjs';
import { describe, integer, optionsObject } from '../internal/validate.js';
import { defaultFetch } from './defaultFetch.js';
import type { FetchLike } from './FetchLike.js';
import { defaultMaxResponseBytes } from './limits.js';
import { readBody } from './readBody.js';
import type { HttpRequest, HttpResponse, Transport } from './Transport.js';
import { TransportError, type TransportFailure } from './TransportError.js';

export type { FetchLike } from './FetchLike.js';

/** Options of {@link fetchTransport}. */
export interface FetchTransportOptions {
  /** The fetch to use. @default the platform's `fetch` (keep-alive, one pool per process); cross-fetch where there is none */
  fetch?: FetchLike;
  /**
   * The largest body accepted, in bytes, counted after decompression while it
   * streams; a larger one is abandoned at the limit and fails the request
   * without a retry. @default 4194304 (4 MiB)
   */
  maxResponseBytes?: number;
}

/** The literal defaults of {@link FetchTransportOptions} (each `@default` is checked against this object by a test). */
export const fetchTransportDefaults = { maxResponseBytes: defaultMaxResponseBytes } as const;

/**
 * A {@link Transport} over the fetch API: the platform's `fetch` by default
 * (undici in Node 18+, which keeps connections alive in one pool per process
 * and fails a body cut short; `window.fetch` in browsers), or the `fetch` you
 * pass.
 *
 * Redirects are never followed (`redirect: 'manual'`): a 3xx comes back as a
 * response, so the key is never sent to another origin. Bodies are capped at
 * `maxResponseBytes`. Each subscription sends one request with its own
 * `AbortController`; unsubscribing aborts it at once.
 *
 * ## Example
 * ```ts
 * import { createClient, aimlSuno, fetchTransport } from 'clipstream';
 *
 * const transport = fetchTransport({ maxResponseBytes: 1024 * 1024 });
 * const client = createClient(aimlSuno({ apiKey: process.env.AIMLAPI_KEY! }), { transport });
 * ```
 *
 * @param options `fetch` and `maxResponseBytes`; a function alone is taken as `fetch`
 */
export function fetchTransport(options: FetchTransportOptions | FetchLike = {}): Transport {
  const given = typeof options === 'function' ? { fetch: options } : optionsObject('fetchTransport', options, ['fetch', 'maxResponseBytes']);
  if (given.fetch !== undefined && typeof given.fetch !== 'function') {
    throw new TypeError(`fetchTransport: fetch: expected a function, got ${describe(given.fetch)}`);
  }
  const limit = integer('fetchTransport.maxResponseBytes', given.maxResponseBytes, fetchTransportDefaults.maxResponseBytes, 1);
  const chosen = given.fetch as FetchLike | undefined;
  return {
    request: (request: HttpRequest) =>
      new Observable<HttpResponse>((subscriber) => {
        const controller = new AbortController();
        let stage: 'send' | 'body' = 'send';
        const fail = (error: unknown) => {
          if (controller.signal.aborted && subscriber.closed) return;
          subscriber.error(asTransportError(error, stage));
        };
        const init: Parameters<FetchLike>[1] = {
          method: request.method,
          headers: { ...request.headers },
          signal: controller.signal,
          redirect: 'manual',
        };
        if (request.body !== undefined) init.body = request.body;
        (chosen ? Promise.resolve(chosen) : defaultFetch())
          .then((fetch) => (subscriber.closed ? undefined : fetch(request.url, init)))
          .then(async (response) => {
            if (response === undefined) return;
            stage = 'body';
            const headers: Record<string, string> = {};
            response.headers.forEach((value, name) => {
              headers[name.toLowerCase()] = value;
            });
            // A browser hides a redirect's target: an opaque response with status 0.
            if (response.type === 'opaqueredirect') {
              subscriber.next({ status: 0, headers, body: '' });
              subscriber.complete();
              return;
            }
            const declared = Number(headers['content-length']);
            if (Number.isFinite(declared) && declared > limit && headers['content-encoding'] === undefined) {
              throw new TransportError('too-large', `the response declares ${declared} bytes, more than maxResponseBytes (${limit})`);
            }
            const body = await readBody(response, limit);
            subscriber.next({ status: response.status, headers, body });
            subscriber.complete();
          })
          .catch(fail);
        return () => controller.abort();
      }),
  };
}

/**
 * A fetch failure as a {@link TransportError}, with a message of its own:
 * fetch's messages can quote header values (the key among them), so only
 * the low-level cause's code and message are kept, never the error itself.
 */
function asTransportError(error: unknown, stage: 'send' | 'body'): TransportError {
  if (error instanceof TransportError) return error;
  const err = error as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  const message = typeof err?.message === 'string' ? err.message : String(error);
  const cause = err?.cause;
  const causeText = [cause?.code, cause?.message].filter((part) => typeof part === 'string' && part !== '').join(' ');
  let failure: TransportFailure = stage === 'body' ? 'truncated' : 'connection';
  let detail: string;
  if (stage === 'send' && /header|ByteString/i.test(message) && cause === undefined) {
    failure = 'request';
    detail = 'a request header value is not valid (only visible ASCII is allowed); nothing was sent';
  } else if (stage === 'send' && /unknown scheme|protocol|bad port/i.test(`${message} ${causeText}`)) {
    failure = 'request';
    detail = `the URL cannot be fetched: ${causeText || message}`;
  } else if (stage === 'body') {
    detail = `the body broke off before its end${causeText ? ` (${causeText})` : ''}`;
  } else {
    detail = causeText || message;
  }
  return new TransportError(failure, detail);
}
