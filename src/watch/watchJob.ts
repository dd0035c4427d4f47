// Over 250 lines, most of it docs: one job's expand chain and the state of a
// subscription to it (JobRun), whose ask, answer and learn share its fields.
import { EMPTY, expand, Observable, type SchedulerLike, type Subscriber, type Subscription } from 'rxjs';
import type { WatchSink } from '../internal/Sink.js';
import type { StatusModel } from '../status/StatusModel.js';
import { statusOrThrow } from '../status/statusOrThrow.js';
import { hasUnknownStatus, rankAfter } from '../status/unknownStatus.js';
import type { PollingLearner } from '../polling/PollingLearner.js';
import { pauseBefore, type ResolvedPolling } from './pacing.js';

/** What a watch needs from its client: the request scheduler's `ask`, and how to pace it. */
export interface WatchContext<J, S extends string> {
  readonly statuses: StatusModel<S, string>;
  /**
   * Opens a watch of job `id` at the request scheduler: `ask(wanted, group)`
   * asks for the job once it is at `wanted` or above (or whatever a
   * long-poll for it answered at the server's timeout), for its status now
   * when `wanted` is undefined; jobs asked with the same `group` may share a
   * request. `sink` hears once per question; `cancel()` withdraws the open
   * question, `close()` ends the watch.
   */
  open(id: string, sink: WatchSink<J>): WatchHandle<S>;
  /** Whether the API has a wait parameter. */
  readonly canWait: boolean;
  readonly polling: ResolvedPolling;
  /** What the client learned of its API's status durations (the HTTP engine's, with `polling.learn`): polls follow it. */
  readonly learner?: Pick<PollingLearner, 'nextPause' | 'record' | 'modelOf' | 'grid' | 'earlyFrom'> | undefined;
  readonly scheduler: SchedulerLike;
}

/** A watch's line to the request scheduler. */
export interface WatchHandle<S extends string> {
  /**
   * A passive question sends nothing and is answered only by news other
   * requests bring; with `earlyFrom` (a learned poll's, see
   * `PollingLearner.earlyFrom`) the job may also ride from then on, before
   * its poll is due, in a snapshot another job's poll sends with room to
   * spare: the sink then hears `polledEarly` and the answer, changed or not.
   */
  ask(wanted: S | undefined, group: string | undefined, passive?: boolean, earlyFrom?: number): void;
  cancel(): void;
  close(): void;
}

/**
 * How a watch asks:
 * - `each`: for the status right after the last one seen, so every change
 *   the server reports is emitted;
 * - `target`: straight for `target` (for `waitFor`), one long-poll per server
 *   timeout instead of one per change.
 */
export type WatchMode = 'each' | 'target';

/** What a watch of one job is after. */
export interface JobWatch<S extends string> {
  /** Complete at the first status at or above it (a terminal status always completes). */
  readonly target?: S | undefined;
  readonly mode: WatchMode;
  /** The status the caller knows already: not emitted, and the first request waits for the next one. */
  readonly since?: S | undefined;
  /** Jobs watched together, which may share requests (see the scheduler's batching policy). */
  readonly group?: string | undefined;
  /** When the watch gives up (the scheduler's clock): learned polling plans no poll after it. */
  readonly deadline?: number | undefined;
}

/**
 * One job as an Observable of its status transitions: the first transition,
 * then `expand` from each transition to the next, each one a long-poll for
 * the status after it.
 *
 * A job is emitted only when its status rises above every status seen so far
 * (and above `since`); an answer with the same status (a long-poll that
 * reached the server's timeout) or a lower one (a stale server) is not a
 * transition: the job is asked for again, paced by `polling`, within the same
 * step. Completes right after a terminal status, or the first status at or
 * above `target`. The decision to stop is taken inside `expand`, so no
 * request is sent after the last emission.
 *
 * ```
 * asks:     ask(next after –)  ask(next after queued)  ask(next after streaming)
 * answers:  ----queued|        ------streaming|        --(streaming)--complete|
 * watch:    ----q--------------------s------------------------------------(c|)
 * ```
 */
export function watchJob<J, S extends string>(context: WatchContext<J, S>, id: string, watch: JobWatch<S>): Observable<J> {
  return new Observable<J>((subscriber) => {
    const run = new JobRun(context, id, watch);
    const subscription = run.transition$.pipe(expand((job) => (run.isLast(job) ? EMPTY : run.transition$))).subscribe(subscriber);
    return () => {
      subscription.unsubscribe();
      run.close();
    };
  });
}

/**
 * The state of one subscription to a watch: the highest status seen, the
 * request in flight or the pause before the next. One object with methods,
 * and no closures, because a client may hold tens of thousands of these.
 */
class JobRun<J, S extends string> implements WatchSink<J> {
  /** Emits the next transition, then completes. Subscribed once per step by `expand`. */
  readonly transition$: Observable<J>;
  private seen: number;
  private readonly goal: number;
  private subscriber: Subscriber<J> | undefined;
  private readonly handle: WatchHandle<S>;
  private pause: Subscription | undefined;
  /** When the last request started; undefined before the first. */
  private startedAt: number | undefined;
  /** Answers in a row that brought no transition. */
  private quiet = 0;
  // For learned polling: when the job entered the status seen (estimated), whether that entry was
  // seen (so its duration is known), when it was last seen in it, and the model it names.
  private enteredAt = 0;
  private entrySeen = false;
  private lastSeenAt = 0;
  private model = '';

  constructor(
    private readonly context: WatchContext<J, S>,
    id: string,
    private readonly watch: JobWatch<S>,
  ) {
    const { statuses } = context;
    this.seen = watch.since === undefined ? -1 : statuses.priority(watch.since);
    if (watch.since !== undefined) {
      // The caller saw `since` just now (generate: the job was just created): its entry is now.
      this.enteredAt = this.lastSeenAt = context.scheduler.now();
      this.entrySeen = true;
    }
    this.goal = watch.target === undefined ? Infinity : statuses.priority(watch.target);
    this.handle = context.open(id, this);
    this.transition$ = new Observable<J>((subscriber) => {
      this.subscriber = subscriber;
      if (this.startedAt === undefined) this.ask();
      else this.askAfterPause();
      return () => this.stop(subscriber);
    });
  }

  /** Whether nothing follows `job`: a terminal status, or the target reached (a status the model does not know is neither). */
  isLast(job: J): boolean {
    const { statuses } = this.context;
    if (hasUnknownStatus(statuses, job)) return false;
    const status = statusOrThrow(statuses, job);
    return statuses.isTerminal(status) || statuses.priority(status) >= this.goal;
  }

  answer(job: J): void {
    const subscriber = this.subscriber;
    if (subscriber === undefined) return;
    let priority: number;
    try {
      // A status the model does not know ranks half a step above the last known one: reported once, and the watch goes on.
      priority = rankAfter(this.context.statuses, job, this.seen);
    } catch (error) {
      this.subscriber = undefined;
      subscriber.error(error);
      return;
    }
    // Learning knows the model's statuses only: an unknown one is time spent in the last known status.
    this.learn(job, Number.isInteger(priority) ? priority : Math.floor(this.seen));
    if (priority > this.seen) {
      this.seen = priority;
      this.quiet = 0;
      this.subscriber = undefined;
      // News that came in during a pause ends it.
      this.pause?.unsubscribe();
      this.pause = undefined;
      // `expand` subscribes to the next step inside `next`, before this one completes.
      subscriber.next(job);
      subscriber.complete();
      return;
    }
    this.quiet += 1;
    this.askAfterPause();
  }

  /**
   * What a learned policy needs from an answer: a transition ends the last
   * status at the midpoint of the polls around it (its duration is learned
   * when its entry was seen too), and starts the new one there.
   */
  private learn(job: J, priority: number): void {
    const { learner, scheduler, statuses } = this.context;
    if (learner === undefined) return;
    const now = scheduler.now();
    const askedAt = Math.min(now, this.startedAt ?? now);
    if (this.seen < 0) {
      // The first answer: the job entered this status some time before; only the lowest status starts with the job.
      this.model = learner.modelOf(job);
      this.enteredAt = this.lastSeenAt = askedAt;
      this.entrySeen = priority === 0;
      return;
    }
    if (priority <= this.seen) {
      this.lastSeenAt = Math.max(this.lastSeenAt, askedAt);
      return;
    }
    // The status seen is the one at `seen` in the model's order (priorities are positions; half a step is an unknown status after it).
    const left = Math.max(this.lastSeenAt, (this.lastSeenAt + askedAt) / 2);
    if (this.entrySeen) learner.record(this.model, statuses.statuses[Math.floor(this.seen)]!, left - this.enteredAt);
    this.enteredAt = left;
    this.entrySeen = true;
    this.lastSeenAt = askedAt;
  }

  fail(error: unknown): void {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    subscriber?.error(error);
  }

  /**
   * Asks again once the pacing allows: at once for a long-poll after a
   * change, later otherwise. Meanwhile it listens: a request made for
   * another watch of the same job may bring the change first.
   */
  private askAfterPause(): void {
    const { canWait, learner, polling, scheduler } = this.context;
    const now = scheduler.now();
    const planned = this.plannedPause();
    const pause = planned ?? pauseBefore(canWait, polling, this.quiet, this.startedAt ?? now, now);
    if (pause <= 0) return this.ask();
    // A learned poll may go early, in another job's request with room: the same poll, for no request of its own.
    const earlyFrom = learner !== undefined && planned !== undefined && pause !== Infinity ? learner.earlyFrom(now + pause, this.startedAt ?? now) : undefined;
    this.handle.ask(this.next(), this.watch.group, true, earlyFrom);
    // No poll fits before the deadline: only news other requests bring, until the deadline ends the watch.
    if (pause !== Infinity) this.pause = scheduler.schedule(() => this.ask(), pause);
  }

  /** The planned poll goes now, in a request another job's poll sends: its pause is over. */
  polledEarly(at: number): void {
    this.pause?.unsubscribe();
    this.pause = undefined;
    this.startedAt = at;
  }

  /**
   * The learned policy's pause, on a grid of a quarter of its floor (at most
   * 250 ms) so jobs due at nearly the same time share a request; Infinity
   * when no poll fits before the deadline; undefined on the fixed schedule.
   */
  private plannedPause(): number | undefined {
    const { learner, scheduler } = this.context;
    if (learner === undefined || this.seen < 0) return undefined;
    const now = scheduler.now();
    const untilDeadline = this.watch.deadline === undefined ? undefined : this.watch.deadline - now;
    const pause = learner.nextPause(this.model, this.context.statuses.statuses[Math.floor(this.seen)]!, now - this.enteredAt, now - (this.startedAt ?? now), untilDeadline);
    if (pause === undefined) return Infinity;
    const due = Math.ceil((now + pause) / learner.grid) * learner.grid;
    return this.watch.deadline !== undefined && due > this.watch.deadline ? pause : due - now;
  }

  private ask(): void {
    this.pause = undefined;
    this.startedAt = this.context.scheduler.now();
    this.handle.ask(this.wanted(), this.watch.group);
  }

  /** What to ask the server to wait for; undefined asks for the status now. */
  private wanted(): S | undefined {
    if (!this.context.canWait) return undefined;
    if (this.watch.mode === 'target' && this.watch.target !== undefined) return this.watch.target;
    return this.seen < 0 ? undefined : this.next();
  }

  /** The lowest status above the highest seen (a failure is above every status but is not waited for). */
  private next(): S | undefined {
    const { statuses } = this.context;
    for (const status of statuses.statuses) {
      if (statuses.priority(status) > this.seen && !statuses.isFailure(status)) return status;
    }
    return undefined;
  }

  private stop(subscriber: Subscriber<J>): void {
    if (this.subscriber !== subscriber) return;
    this.subscriber = undefined;
    this.pause?.unsubscribe();
    this.pause = undefined;
    this.handle.cancel();
  }

  /** The watch is over: nothing more will be asked. */
  close(): void {
    this.pause?.unsubscribe();
    this.pause = undefined;
    this.subscriber = undefined;
    this.handle.close();
  }
}
