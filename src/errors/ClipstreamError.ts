const brand = Symbol.for('clipstream.error');

/**
 * Base class of every error clipstream raises.
 *
 * Each subclass has a literal `name`. Errors can be told apart with
 * {@link isClipstreamError}, or with `instanceof`: both hold across two
 * copies of the package (CommonJS and ESM side by side), because the brand
 * and the name decide, not the prototype.
 */
export abstract class ClipstreamError extends Error {
  abstract override readonly name: ClipstreamErrorName;
  /** @internal marks errors from any copy of clipstream */
  readonly [brand] = true;
  /** The `name` of this class's errors; none on the base class, which holds every clipstream error. @internal */
  static readonly errorName: ClipstreamErrorName | undefined = undefined;

  /** `error instanceof HttpError` for an `HttpError` made by any copy of clipstream. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (!isBrandedClipstreamError(value)) return false;
    const kind = this.errorName;
    return kind === undefined || value.name === kind;
  }

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
