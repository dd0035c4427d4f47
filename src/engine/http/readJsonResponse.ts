import { HttpError, type RequestInfo } from '../../errors/HttpError.js';
import { NetworkError } from '../../errors/NetworkError.js';
import { redactDeep } from '../../internal/redact.js';
import type { HttpResponse } from '../../transport/Transport.js';
import { parseRetryAfter } from './retryPolicy.js';

const blank = /^\s*$/;

/**
 * The JSON body of a 2xx response, or the error the response amounts to:
 * an `HttpError` for any other status (redirects included: they are never
 * followed), a `NetworkError` for a 2xx with no body or a body that is not JSON.
 *
 * Servers echo what they were sent: every text quoted in an error is
 * redacted first, before it is cut short (or a piece of the key would
 * survive) and after JSON escapes are undone (or an escaped form would).
 */
export function readJsonResponse(response: HttpResponse, info: RequestInfo, redact: (text: string) => string, now: () => number): unknown {
  const { status } = response;
  if (status < 200 || status > 299) {
    const parsed = parseJson(response.body);
    const body = parsed.ok ? redactDeep(parsed.value, redact) : redact(response.body).slice(0, 1000);
    const retryAfter = parseRetryAfter(response.headers['retry-after'], now());
    throw new HttpError({ request: info, status, body, retryAfter, detail: describeFailure(response, body, redact), requestId: requestIdOf(body, response, redact) });
  }
  if (status === 204 || blank.test(response.body)) {
    throw new NetworkError(info, 'empty', `HTTP ${status} came without a body, where the API always sends one`);
  }
  const parsed = parseJson(response.body);
  if (!parsed.ok) {
    const text = redact(response.body);
    throw new NetworkError(info, 'body', `the body is not JSON (${redact(parsed.error)}): ${describeBody(text)}`);
  }
  return parsed.value;
}

/** What to say after "answered HTTP n": the redirect's target origin, or the body's message. */
function describeFailure(response: HttpResponse, body: unknown, redact: (text: string) => string): string | undefined {
  const { status } = response;
  if (status === 0) return 'a redirect, which clipstream never follows (the browser hid its target)';
  if (status >= 300 && status <= 399) {
    const location = response.headers.location;
    return `a redirect${location ? ` to ${originOf(location, redact)}` : ''}, which clipstream never follows`;
  }
  return errorDetail(body);
}

/** Just the origin of a redirect target: its path and query may carry anything. */
function originOf(location: string, redact: (text: string) => string): string {
  try {
    const url = new URL(location, 'http://relative.invalid');
    // A hostile server may put anything in a host name, the key included.
    return url.host === 'relative.invalid' ? 'a path on the same origin' : redact(`${url.protocol}//${url.host}`);
  } catch {
    return 'a location that is not a URL';
  }
}

/** The API's id for the request: `requestId` or `request_id` in the body, or the `x-request-id` header. */
function requestIdOf(body: unknown, response: HttpResponse, redact: (text: string) => string): string | undefined {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const value = [record.requestId, record.request_id, response.headers['x-request-id']].find((candidate) => typeof candidate === 'string' && candidate !== '');
  return typeof value === 'string' ? redact(value).slice(0, 100) : undefined;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    // Not the engine's message: V8 quotes a window of the body in it, and a window can cut the key anywhere.
    const position = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined;
    return { ok: false, error: position === undefined ? 'invalid JSON' : `invalid JSON at position ${position}` };
  }
}

/** The message an error body carries: `{"message": …}`, `{"error": …}`, `{"error": {"message": …}}`, `{"detail": …}`. */
export function errorDetail(body: unknown): string | undefined {
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
  return `${body.length} characters starting ${JSON.stringify(body.slice(0, 40))}`;
}
