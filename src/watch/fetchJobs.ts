import { catchError, defer, from, map, mergeMap, type Observable, retry, throwError, throwIfEmpty, timeout, timer } from 'rxjs';
import { decodeJobs, type JobResult } from '../codecs/decodeJobs.js';
import type { ResolvedOptions } from '../client/ClientOptions.js';
import { HttpError, type RequestInfo } from '../errors/HttpError.js';
import { isClipstreamError } from '../errors/isClipstreamError.js';
import { NetworkError } from '../errors/NetworkError.js';
import { redactDeep } from '../providers/providerConfig.js';
import type { Provider } from '../providers/Provider.js';
import type { HttpResponse } from '../transport/Transport.js';
import { isRetryable, parseRetryAfter, retryDelay } from './retryDelay.js';

/**
 * Fetches `ids` in one request (retried as the options say) and emits one
 * result per id, then completes. Errors that concern the whole request
 * (401, 404, exhausted retries, an undecodable envelope) error the Observable.
 */
export function fetchJobs<J, S extends string>(
  provider: Provider<J, S, string>,
  options: ResolvedOptions,
  ids: readonly string[],
  wanted: S | undefined,
): Observable<JobResult<J>> {
  const request = provider.fetchRequest(ids, wanted);
  const { scheduler, requestTimeout } = options;
  let attempt = 0;
  return defer(() => {
    const info: RequestInfo = { method: request.method, url: request.url, attempt: ++attempt };
    return options.transport.request(request).pipe(
      timeout({
        first: requestTimeout,
        scheduler,
        with: () => throwError(() => new NetworkError(info, 'timeout', `no response within ${requestTimeout} ms`)),
      }),
      throwIfEmpty(() => new Error('the transport completed without a response')),
      catchError((error: unknown) =>
        throwError(() =>
          isClipstreamError(error)
            ? error
            : new NetworkError(info, 'connection', provider.redact(asError(error).message), { cause: error }),
        ),
      ),
      map((response) => interpret(provider, response, info, ids, scheduler.now())),
    );
  }).pipe(
    retry({
      count: options.retry.limit,
      delay: (error: unknown, retryCount) =>
        isRetryable(error) ? timer(retryDelay(error, retryCount, options.retry), scheduler) : throwError(() => error),
    }),
    mergeMap((results) => from(results)),
  );
}

/** Turns a response into per-id results, or throws the error it amounts to. */
function interpret<J>(
  provider: Provider<J, string, string>,
  response: HttpResponse,
  info: RequestInfo,
  ids: readonly string[],
  now: number,
): JobResult<J>[] {
  // Servers echo what they were sent: the key is redacted from anything quoted
  // in an error, before it is cut short (or a piece of it would survive) and
  // after JSON escapes are undone (or an escaped form would).
  const { redact } = provider;
  if (response.status < 200 || response.status > 299) {
    const parsed = parseJson(response.body);
    const body = parsed.ok ? redactDeep(parsed.value, redact) : redact(response.body).slice(0, 1000);
    const retryAfter = parseRetryAfter(response.headers['retry-after'], now);
    throw new HttpError(info, response.status, body, retryAfter, errorDetail(parsed.ok ? body : undefined));
  }
  const parsed = parseJson(response.body);
  if (!parsed.ok) {
    const text = redact(response.body);
    const reason = parseJson(text);
    throw new NetworkError(info, 'body', `the body is not JSON (${reason.ok ? 'parse error' : reason.error}): ${describeBody(text)}`);
  }
  return decodeJobs(parsed.value, provider.codec, ids, `${info.method} ${info.url}`, provider.redact);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: asError(error).message };
  }
}

/** The message an error body carries: `{"message": …}`, `{"error": …}`, `{"error": {"message": …}}`, `{"detail": …}`. */
function errorDetail(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['message', 'error', 'detail']) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') return value.slice(0, 300);
    if (typeof value === 'object' && value !== null) {
      const nested = errorDetail(value);
      if (nested !== undefined) return nested;
    }
  }
  return undefined;
}

function describeBody(body: string): string {
  if (body === '') return 'empty body';
  return `${body.length} characters starting ${JSON.stringify(body.slice(0, 40))}`;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
