import { HttpError } from '../errors/HttpError.js';
import { isClipstreamError } from '../errors/isClipstreamError.js';
import type { RetryOptions } from '../client/ClientOptions.js';

/** 408 and 429 ask to come back later; any 5xx is the server's trouble, which may pass. */
const isRetryableStatus = (status: number) => status === 408 || status === 429 || (status >= 500 && status <= 599);
/** Only these statuses make `Retry-After` a promise worth keeping (as ky does). */
const retryAfterStatuses = new Set([429, 503]);

/** Network errors, 408, 429 and 5xx are worth another try; 401, 403, 404, other 4xx and decode errors are not. */
export function isRetryable(error: unknown): boolean {
  if (isClipstreamError(error, 'NetworkError')) return true;
  return isClipstreamError(error, 'HttpError') && isRetryableStatus(error.status);
}

/**
 * The pause before retry number `retry` (1 for the first): the server's
 * `Retry-After` when it gave one on a 429 or 503, capped at `maxRetryAfter`;
 * otherwise exponential backoff with full jitter.
 */
export function retryDelay(error: unknown, retry: number, options: Required<RetryOptions>): number {
  if (error instanceof HttpError && error.retryAfter !== undefined && retryAfterStatuses.has(error.status)) {
    return Math.min(error.retryAfter, options.maxRetryAfter);
  }
  const bound = Math.min(options.maxDelay, options.baseDelay * 2 ** (retry - 1));
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
