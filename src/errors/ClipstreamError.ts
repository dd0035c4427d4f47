const brand = Symbol.for('clipstream.error');

/**
 * Base class of every error clipstream raises.
 *
 * Each subclass has a literal `name`, so errors can be told apart with
 * {@link isClipstreamError} even when two copies of the package are loaded
 * (CommonJS and ESM side by side), where `instanceof` would fail.
 */
export abstract class ClipstreamError extends Error {
  abstract override readonly name: ClipstreamErrorName;
  /** @internal marks errors from any copy of clipstream */
  readonly [brand] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The `name` of every clipstream error class. */
export type ClipstreamErrorName =
  | 'ConfigError'
  | 'HttpError'
  | 'NetworkError'
  | 'DecodeError'
  | 'WatchTimeoutError'
  | 'AbortError'
  | 'JobFailedError'
  | 'StoreError';

export function isBrandedClipstreamError(error: unknown): error is ClipstreamError {
  return typeof error === 'object' && error !== null && (error as { [brand]?: unknown })[brand] === true;
}
