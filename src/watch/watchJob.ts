import { defer, EMPTY, expand, filter, map, type Observable, type SchedulerLike, switchMap, timer } from 'rxjs';
import type { StatusModel } from '../status/StatusModel.js';
import { statusOrThrow } from '../status/statusOrThrow.js';
import type { Pacer } from './pacing.js';

/** What a watch needs from the client: a (batched) fetch and how to pace it. */
export interface WatchContext<J, S extends string> {
  readonly statuses: StatusModel<S, string>;
  /** Fetches one job, asking the server to hold the answer until `wanted` (ignored by APIs that cannot wait). */
  fetch(id: string, wanted: S | undefined): Observable<J>;
  /** Whether the API has a wait parameter. */
  readonly canWait: boolean;
  createPacer(): Pacer;
  readonly scheduler: SchedulerLike;
}

/**
 * How a watch asks:
 * - `each`: for the status right after the last one seen, so every change
 *   the server reports is emitted;
 * - `target`: straight for `target` (for `waitFor`), one long-poll per server
 *   timeout instead of one per change.
 */
export type WatchMode = 'each' | 'target';

interface Step<J> {
  readonly job: J;
  /** The job moved to a higher status than any seen before. */
  readonly progressed: boolean;
  /** Nothing more to ask: terminal, or at or above the target. */
  readonly done: boolean;
  readonly startedAt: number;
}

/**
 * One job as an Observable of its status transitions: a first fetch, then
 * `expand`-chained fetches, each asking for what comes next.
 *
 * Emits a job only when its status rises above every status seen so far; an
 * answer with the same status (a long-poll that reached the server's timeout)
 * or a lower one (a stale server) is dropped and the job asked for again.
 * Completes right after a terminal status, or the first status at or above
 * `target`. The decision to stop is taken inside `expand`, so no request is
 * sent after the last emission.
 */
export function watchJob<J, S extends string>(
  context: WatchContext<J, S>,
  id: string,
  target: S | undefined,
  mode: WatchMode,
): Observable<J> {
  const { statuses, scheduler } = context;
  const goal = target === undefined ? Infinity : statuses.priority(target);
  const waitable = statuses.statuses.filter((status) => !statuses.isFailure(status));

  return defer(() => {
    let seen = -1;
    const pacer = context.createPacer();

    const wantedAfter = (priority: number): S | undefined => {
      if (!context.canWait) return undefined;
      if (mode === 'target' && target !== undefined) return target;
      return waitable.find((status) => statuses.priority(status) > priority);
    };

    const step = (pause: number): Observable<Step<J>> => {
      const ask = defer(() => {
        const startedAt = scheduler.now();
        return context.fetch(id, wantedAfter(seen)).pipe(
          map((job): Step<J> => {
            const status = statusOrThrow(statuses, job);
            const priority = statuses.priority(status);
            const progressed = priority > seen;
            if (progressed) seen = priority;
            const done = progressed && (statuses.isTerminal(status) || priority >= goal);
            return { job, progressed, done, startedAt };
          }),
        );
      });
      return pause > 0 ? timer(pause, scheduler).pipe(switchMap(() => ask)) : ask;
    };

    return step(0).pipe(
      expand((last) => (last.done ? EMPTY : step(pacer(last.progressed, last.startedAt, scheduler.now())))),
      filter((last) => last.progressed),
      map((last) => last.job),
    );
  });
}
