import { ClipstreamError } from './ClipstreamError.js';

/** The `signal` given to a watch was aborted; `cause` holds `signal.reason`. */
export class AbortError extends ClipstreamError {
  override readonly name = 'AbortError' as const;

  constructor(what: string, reason: unknown) {
    super(`${what} was aborted`, { cause: reason });
  }
}
