import { ClipstreamError } from './ClipstreamError.js';

/** The `signal` given to a watch was aborted; `cause` holds `signal.reason`. */
export class AbortError extends ClipstreamError {
  /** What `instanceof` compares across copies of clipstream. @internal */
  static override readonly errorName = 'AbortError';
  override readonly name = 'AbortError' as const;

  constructor(what: string, reason: unknown) {
    super(`${what} was aborted`, { cause: reason });
  }
}
