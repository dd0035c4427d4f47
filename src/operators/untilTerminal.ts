import { takeWhile, type MonoTypeOperatorFunction } from 'rxjs';
import { ConfigError } from '../errors/ConfigError.js';
import type { StatusModel } from '../status/StatusModel.js';
import { statusOrThrow } from '../status/statusOrThrow.js';
import { hasUnknownStatus } from '../status/unknownStatus.js';

/**
 * Completes after the first job with a terminal status, which is emitted.
 *
 * Terminal statuses are the model's: `complete` and `error` for Suno,
 * `completed` and `failed` for Luma. A failure is a normal value here, not an
 * error.
 *
 * ```
 * source:        --q--s--c--s--|     (q queued, s streaming, c complete)
 * untilTerminal: --q--s--(c|)
 * ```
 *
 * ## Example
 * ```ts
 * import { untilTerminal, sunoStatuses } from 'clipstream';
 * import { of } from 'rxjs';
 *
 * of({ id: 'a', status: 'queued' }, { id: 'a', status: 'error' }, { id: 'a', status: 'complete' })
 *   .pipe(untilTerminal(sunoStatuses))
 *   .subscribe((clip) => console.log(clip.status));
 * // Output:
 * // queued
 * // error
 * ```
 *
 * @param model the provider's status model, e.g. `sunoStatuses` or `client.statuses`
 * @returns an operator that completes after the first terminal job
 */
export function untilTerminal<T>(model: StatusModel): MonoTypeOperatorFunction<T> {
  checkModel(model, 'untilTerminal');
  // A status the model does not know is never terminal.
  return takeWhile((job) => hasUnknownStatus(model, job) || !model.isTerminal(statusOrThrow(model, job)), true);
}

/** @internal operators take a model; a wrong argument is a mistake at the call site, a `ConfigError` as every other. */
export function checkModel(model: unknown, operator: string): asserts model is StatusModel {
  const candidate = model as Partial<StatusModel> | null | undefined;
  if (typeof candidate?.statusOf !== 'function' || typeof candidate.priority !== 'function') {
    throw new ConfigError(`${operator}(model)`, 'expected a status model such as sunoStatuses or lumaStatuses');
  }
}
