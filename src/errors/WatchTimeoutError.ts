import { ClipstreamError } from './ClipstreamError.js';

/** The `timeout` deadline of a watch passed before every job was done. */
export class WatchTimeoutError extends ClipstreamError {
  override readonly name = 'WatchTimeoutError' as const;

  constructor(
    /** The deadline, in milliseconds. */
    readonly timeout: number,
    /** Ids that had not finished. */
    readonly pending: readonly string[],
    /** Last job seen for each id of the watch that had an answer, pending or not. */
    readonly lastSeen: ReadonlyMap<string, unknown>,
    describe: (id: string) => string,
  ) {
    super(
      `no result within ${timeout} ms for ${pending.length === 1 ? 'job' : 'jobs'} ` +
        pending.map(describe).join(', '),
    );
  }
}
