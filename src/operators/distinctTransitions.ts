import { filter, type MonoTypeOperatorFunction, defer, type Observable } from 'rxjs';
import type { StatusModel } from '../status/StatusModel.js';
import { rankAfter } from '../status/unknownStatus.js';
import { checkModel } from './untilTerminal.js';

/**
 * Drops jobs whose status is not higher than every status before it:
 * repeats (a long-poll that timed out) and steps backwards (a stale server).
 * What is left is each transition once, in order.
 *
 * Works per stream, not per id: for a merged stream of several jobs, apply it
 * to each job's stream before merging (`client.watch` already does this).
 *
 * ```
 * source:              --q--q--s--q--c--c--|
 * distinctTransitions: --q-----s-----c-----|
 * ```
 *
 * ## Example
 * ```ts
 * import { distinctTransitions, lumaStatuses } from 'clipstream';
 * import { of } from 'rxjs';
 *
 * of({ id: 'g', state: 'queued' }, { id: 'g', state: 'dreaming' }, { id: 'g', state: 'queued' })
 *   .pipe(distinctTransitions(lumaStatuses))
 *   .subscribe((generation) => console.log(generation.state));
 * // Output:
 * // queued
 * // dreaming
 * ```
 *
 * @param model the provider's status model
 * @returns an operator that keeps only rising statuses
 */
export function distinctTransitions<T>(model: StatusModel): MonoTypeOperatorFunction<T> {
  checkModel(model, 'distinctTransitions');
  return (source: Observable<T>) =>
    defer(() => {
      let highest = -1;
      return source.pipe(
        filter((job) => {
          // A status the model does not know passes once, half a step above the last known one.
          const priority = rankAfter(model, job, highest);
          if (priority <= highest) return false;
          highest = priority;
          return true;
        }),
      );
    });
}
