import { ClipstreamError } from './ClipstreamError.js';

/**
 * A response that is valid JSON but not what the API documents: a field of
 * the wrong type, an unknown status, an envelope that is neither a job, an
 * array of jobs, `{clips: [...]}` nor `{generations: [...]}`, or a job that
 * is missing from the answer. Never retried: asking again would get the same.
 *
 * `lines` holds one line per problem, each starting with the JSON path:
 * `/metadata/duration: expected (number | null) but got "191"`.
 */
export class DecodeError extends ClipstreamError {
  /** What `instanceof` compares across copies of clipstream. @internal */
  static override readonly errorName = 'DecodeError';
  override readonly name = 'DecodeError' as const;

  constructor(
    /** Where the value came from, e.g. `GET https://…/clips?…`. */
    readonly source: string,
    /** One line per problem, each starting with its JSON path. */
    readonly lines: readonly string[],
    /** The job id this is about, when the problem is in one job of a batch. */
    readonly id?: string,
  ) {
    super(
      `${source}: ${id === undefined ? 'unexpected response' : `unexpected job "${id}"`}\n` +
        lines.map((line) => `  ${line}`).join('\n'),
    );
  }
}
