import type { AbortError } from './AbortError.js';
import { isBrandedClipstreamError, type ClipstreamError, type ClipstreamErrorName } from './ClipstreamError.js';
import type { ConfigError } from './ConfigError.js';
import type { DecodeError } from './DecodeError.js';
import type { HttpError } from './HttpError.js';
import type { JobFailedError } from './JobFailedError.js';
import type { NetworkError } from './NetworkError.js';
import type { StoreError } from './StoreError.js';
import type { WatchTimeoutError } from './WatchTimeoutError.js';

interface ErrorsByName {
  ConfigError: ConfigError;
  HttpError: HttpError;
  NetworkError: NetworkError;
  DecodeError: DecodeError;
  WatchTimeoutError: WatchTimeoutError;
  AbortError: AbortError;
  JobFailedError: JobFailedError;
  StoreError: StoreError;
}

/**
 * Tells whether `error` is a clipstream error, optionally of one kind.
 *
 * Works across copies of the package (CommonJS and ESM loaded side by side),
 * where `instanceof` does not.
 *
 * ## Example
 * ```ts
 * import { isClipstreamError } from 'clipstream';
 *
 * client.waitFor(id, 'complete').catch((error) => {
 *   if (isClipstreamError(error, 'JobFailedError')) console.log(error.job);
 *   else if (isClipstreamError(error, 'HttpError') && error.status === 401) console.log('bad key');
 * });
 * ```
 */
export function isClipstreamError(error: unknown): error is ClipstreamError;
export function isClipstreamError<N extends ClipstreamErrorName>(error: unknown, name: N): error is ErrorsByName[N];
export function isClipstreamError(error: unknown, name?: ClipstreamErrorName): boolean {
  return isBrandedClipstreamError(error) && (name === undefined || error.name === name);
}
