import { isClipstreamError } from '../../errors/isClipstreamError.js';
import type { RetryOptions } from '../EngineOptions.js';

export type { RetryOptions } from '../EngineOptions.js';


/**
 * Whether asking again may help. The one place that decides (docs/watching.md
 * has the same table):
 *
 * | retried | not retried |
 * |---|---|
 * | network errors, timeouts, bodies cut short, a 2xx that is not JSON | redirects (3xx), 4xx but 408 and 429 |
 * | 408, 429, every 5xx | bodies over `maxResponseBytes`, a 2xx without a body |
 * | | requests that cannot be sent (bad header value, protocol), decode errors |
 */
export function isRetryable(error: unknown): boolean {
  if (isClipstreamError(error, 'NetworkError')) {
    return error.reason === 'connection' || error.reason === 'timeout' || error.reason === 'truncated' || error.reason === 'body';
  }
  if (isClipstreamError(error, 'HttpError')) {
    const { status } = error;
    return status === 408 || status === 429 || (status >= 500 && status <= 599);
  }
  return false;
}

/** Only these statuses make `Retry-After` a promise worth keeping (as ky does). */
export function honoursRetryAfter(status: number): boolean {
  return status === 429 || status === 503;
}

/**
 * The backoff before retry number `retry` (1 for the first): exponential
 * with full jitter, a random delay below `baseDelay · 2^(retry−1)`, capped at
 * `maxDelay`. (A `Retry-After` is the governor's business: it pauses the
 * whole client, see `Governor`.)
 */
export function backoffDelay(retry: number, options: Required<RetryOptions>): number {
  const bound = Math.min(options.maxDelay, options.baseDelay * 2 ** Math.min(retry - 1, 30));
  return Math.floor(options.random() * bound);
}

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date (counted from
 * `now`). `undefined` when absent or malformed, so normal backoff applies.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) || !/[a-z]/i.test(text) ? undefined : Math.max(0, date - now);
}
