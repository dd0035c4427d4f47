import { ClipstreamError } from './ClipstreamError.js';

/** Why a store operation failed. */
export type StoreErrorReason =
  /** The store could not be reached (not connected, connection lost). */
  | 'unreachable'
  /** No answer within the store's `commandTimeout`. */
  | 'timeout'
  /** The store answered something that is not what the operation expects. */
  | 'reply';

/**
 * A store (`redisStore`, or another `JobStore`) failed: the message names
 * the store and the operation, never a key or a job's content.
 */
export class StoreError extends ClipstreamError {
  /** What `instanceof` compares across copies of clipstream. @internal */
  static override readonly errorName = 'StoreError';
  override readonly name = 'StoreError' as const;
  readonly store: string;
  readonly operation: string;
  readonly reason: StoreErrorReason;

  constructor(fields: { store: string; operation: string; reason: StoreErrorReason; detail: string }) {
    super(`${fields.store}: ${fields.operation} failed (${fields.reason}): ${fields.detail}`);
    this.store = fields.store;
    this.operation = fields.operation;
    this.reason = fields.reason;
  }
}
