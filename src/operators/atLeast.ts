import { defer, skipWhile, type MonoTypeOperatorFunction } from 'rxjs';
import { checkStatus } from '../status/checkStatus.js';
import type { StatusModel, StatusName } from '../status/StatusModel.js';
import { rankAfter } from '../status/unknownStatus.js';
import { checkModel } from './untilTerminal.js';

/**
 * Lets jobs through from the first one whose status is at or above `status`
 * in the model's priority order: "tell me once it is at least streaming".
 *
 * A job that jumps past `status` (queued straight to complete) counts as
 * having reached it. Put {@link distinctTransitions} before it if the source
 * can go backwards. Higher statuses include failures: `atLeast(sunoStatuses,
 * 'streaming')` lets an `error` clip through.
 *
 * ```
 * source:                     --q--s--c--|
 * atLeast(model, 'streaming'): -----s--c--|
 * ```
 *
 * ## Example
 * ```ts
 * import { atLeast, sunoStatuses } from 'clipstream';
 *
 * client.watch(id).pipe(atLeast(sunoStatuses, 'streaming')).subscribe((clip) => play(clip.audio_url));
 * ```
 *
 * @param model the provider's status model
 * @param status a status (or alias) of the model; checked when the operator is made
 * @returns an operator that skips jobs below `status`
 */
export function atLeast<T, M extends StatusModel>(model: M, status: StatusName<M>): MonoTypeOperatorFunction<T> {
  checkModel(model, 'atLeast');
  const floor = model.priority(checkStatus('atLeast: status', status, model));
  // A status the model does not know ranks just above the last known one: below the floor while that one is.
  return (source) =>
    defer(() => {
      let highest = -1;
      return source.pipe(
        skipWhile((job) => {
          highest = Math.max(highest, rankAfter(model, job, highest));
          return highest < floor;
        }),
      );
    });
}
