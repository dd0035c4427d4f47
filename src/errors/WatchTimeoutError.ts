import { ClipstreamError } from './ClipstreamError.js';

/** The `timeout` deadline of a watch passed before every job was done. */
export class WatchTimeoutError extends ClipstreamError {
  /** What `instanceof` compares across copies of clipstream. @internal */
  static override readonly errorName = 'WatchTimeoutError';
  override readonly name = 'WatchTimeoutError' as const;

  /** The deadline, in milliseconds. */
  readonly timeout: number;
  /** Ids that had not finished. */
  readonly pending: readonly string[];
  /** Last job seen for each id of the watch that had an answer, pending or not. */
  readonly lastSeen: ReadonlyMap<string, unknown>;

  /** `describe` says what is known of a pending id, for the message. */
  constructor(fields: { readonly timeout: number; readonly pending: readonly string[]; readonly lastSeen: ReadonlyMap<string, unknown>; readonly describe?: (id: string) => string }) {
    const { timeout, pending, describe = (id: string) => `"${id}"` } = fields;
    super(`no result within ${timeout} ms for ${pending.length === 1 ? 'job' : 'jobs'} ` + pending.map(describe).join(', '));
    this.timeout = timeout;
    this.pending = pending;
    this.lastSeen = fields.lastSeen;
  }
}
