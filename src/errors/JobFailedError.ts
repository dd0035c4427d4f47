import { ClipstreamError } from './ClipstreamError.js';

/**
 * `waitFor` saw the job end in a failure status (`error` for Suno, `failed`
 * for Luma) instead of reaching the target. `job` is the failed job as the
 * API sent it.
 */
export class JobFailedError<J = unknown> extends ClipstreamError {
  /** What `instanceof` compares across copies of clipstream. @internal */
  static override readonly errorName = 'JobFailedError';
  override readonly name = 'JobFailedError' as const;

  readonly id: string;
  /** The failure status, e.g. `"error"`. */
  readonly status: string;
  /** The status that was waited for. */
  readonly target: string;
  readonly job: J;
  /** The reason the API gave (`metadata.error_message`, `failure_reason`), if any. */
  readonly reason: string | undefined;

  constructor(fields: { readonly id: string; readonly status: string; readonly target: string; readonly job: J; readonly reason?: string | undefined }) {
    const { id, status, target, reason } = fields;
    super(`job "${id}" ended with status "${status}" before reaching "${target}"${reason ? `: ${reason}` : ''}`);
    this.id = id;
    this.status = status;
    this.target = target;
    this.job = fields.job;
    this.reason = reason;
  }
}
