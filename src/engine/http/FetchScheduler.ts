// The policy, over the mechanism: which question goes when (the pump's
// phases, preemption, the sweep, a slot kept or given up). The books it
// decides on are apart: QueueLedger.ts (queues and flights), WatchRegistry.ts
// (the watches by job), ledger.ts (a handle, a task, a flight), takeBatch.ts
// (which jobs share a request). Over 250 lines: with the policy live the
// callbacks it reacts to (asks, answers, failures, withdrawals), which change
// the same books in the same step.
import type { SchedulerLike, Subscription } from 'rxjs';
import type { JobResult } from '../../codecs/decodeJobs.js';
import { nextTurn } from '../../internal/nextTurn.js';
import type { Cancellable, Sink } from '../../internal/Sink.js';
import { Flight, JobHandle, Task, type RequestOwner, type TaskOwner } from './ledger.js';
import { QueueLedger } from './QueueLedger.js';
import { WatchRegistry } from './WatchRegistry.js';

export { JobHandle } from './ledger.js';

export type { Cancellable, Sink };

/** What the scheduler needs from its client. */
export interface FetchSchedulerConfig<J> {
  readonly scheduler: SchedulerLike;
  /** Most requests open at once. */
  readonly maxConnections: number;
  /** Most ids in one request. */
  readonly maxBatchSize: number;
  /** How often a job waiting for a connection is checked with a snapshot request, in ms. */
  readonly overflowInterval: number;
  /**
   * How long a job may keep a long-poll slot from one question to the next
   * while others wait for one, in ms. @default 10 × overflowInterval
   */
  readonly slotQuantum?: number;
  /**
   * Sends one fetch of `ids`: a long-poll for `wanted`, or a snapshot (the
   * server answers at once) when `wanted` is undefined, and answers with one
   * result per id.
   */
  send(ids: readonly string[], wanted: string | undefined, sink: Sink<readonly JobResult<J>[]>): Cancellable;
  /** Position of a job's status in the priority order. */
  rank(job: J): number;
  /** Position of a status in the priority order. */
  rankOf(status: string): number;
  /** Whether an error of a multi-id request may concern only some of its ids, so each is asked alone. */
  splitOn(error: unknown): boolean;
  /** Whether a request for these ids stays within the API's limits (URL length). */
  fits(ids: readonly string[], wanted: string | undefined): boolean;
}

/**
 * Owns every fetch request of one client. Watches ask it for "the job once
 * it reaches status X" (or for a snapshot); it decides how to ask, and what
 * goes first within the connection budget.
 *
 * - **Latency first.** A long-poll carries the ids of one batch key only:
 *   jobs of one `watchMany` at the same status, a `waitForAll`, or, with
 *   `batching: 'always'`, every job waiting for the same status. Any other
 *   job gets a long-poll of its own, sent at once, so its change comes back
 *   within one round trip. Snapshots (the server answers at once) are batched
 *   freely: batching them costs no latency.
 * - **Every answer counts.** A job in any answer satisfies every open
 *   question about it that it answers, whichever request brought it.
 * - **Budget.** At most `maxConnections` requests are open. Long-polls take
 *   the last free connection only when nothing else waits; when snapshots
 *   have to go and every connection holds a long-poll, the youngest long-poll
 *   is given up (its jobs go back to waiting).
 * - **Overflow.** A job waiting for a long-poll slot is checked with snapshot
 *   requests of up to `maxBatchSize` ids every `overflowInterval`, and is
 *   answered as soon as one shows it at or above its status. A job whose
 *   long-poll answered keeps its slot for its next question, for up to
 *   `slotQuantum` (10 checks) in a row; then it queues again behind the
 *   others. When a slot frees, the job that has waited longest takes it.
 *   Handing slots round at every answer would cost a long-poll per hand-over
 *   that checks would have done for a sixth of a request.
 *
 * Every queue (in {@link QueueLedger}) is a linked list whose nodes the
 * handles keep, so cancelling a watch never scans a queue.
 */
export class FetchScheduler<J> implements RequestOwner<J>, TaskOwner {
  private readonly books: QueueLedger<J>;
  private readonly watches = new WatchRegistry<J>();
  private pumpAction: Subscription | undefined;
  private sweepTimer: Subscription | undefined;
  private sweepTimerAt = Infinity;

  constructor(private readonly config: FetchSchedulerConfig<J>) {
    this.books = new QueueLedger<J>(config);
  }

  /** The config's `send`, made once: a request is launched for every question. */
  private readonly send: FetchSchedulerConfig<J>['send'] = (ids, wanted, sink) => this.config.send(ids, wanted, sink);

  /**
   * Runs a request that is not a fetch (a create) within the connection
   * budget, ahead of every fetch. `sink` hears once; the result cancels.
   */
  run<T>(start: (sink: Sink<T>) => Cancellable, sink: Sink<T>): Cancellable {
    const task = new Task<T>(this, start, sink);
    task.node = this.books.tasks.push(task as Task<unknown>);
    this.schedulePump();
    return task;
  }

  /** {@link TaskOwner}: a task answered, failed or was cancelled; false if it was over already. */
  ended(task: Task<unknown>): boolean {
    if (task.over) return false;
    task.over = true;
    if (task.running) {
      this.books.inFlight -= 1;
      this.schedulePump();
    } else this.books.tasks.remove(task.node);
    return true;
  }

  /**
   * News of a job from outside the fetches (a webhook: `client.ingest`): it
   * answers every open question about the job it satisfies, as an answer to
   * a request made for another question would.
   */
  news(id: string, job: J): void {
    this.watches.forEach(id, (handle) => {
      if (handle.asking && (handle.wanted === undefined || this.config.rank(job) >= handle.wantedRank)) this.settle(handle, job, undefined);
    });
  }

  /** Opens a watch of job `id`, whose answers go to `sink`. */
  open(id: string, sink: Sink<J>): JobHandle<J> {
    const handle = new JobHandle(this, id, sink);
    this.watches.add(handle);
    return handle;
  }

  /** {@link RequestOwner}: see {@link JobHandle.close}. */
  close(handle: JobHandle<J>): void {
    handle.closed = true;
    this.watches.remove(handle);
  }

  /** {@link RequestOwner}: see {@link JobHandle.ask}. */
  ask(handle: JobHandle<J>, wanted: string | undefined, group: string | undefined, passive: boolean, earlyFrom: number | undefined): void {
    if (handle.asking) this.withdraw(handle);
    handle.asking = true;
    handle.wanted = wanted;
    handle.wantedRank = wanted === undefined ? -1 : this.config.rankOf(wanted);
    handle.key = wanted === undefined || group === undefined ? undefined : `${group}\u0000${wanted}`;
    handle.alone = false;
    handle.triedAlone = false;
    if (passive) {
      if (earlyFrom !== undefined && this.config.maxBatchSize > 1) this.books.offerEarly(handle, earlyFrom);
      return;
    }
    const keeps = handle.keepsSlot;
    handle.keepsSlot = false;
    if (keeps && handle.key === undefined && wanted !== undefined && this.mayKeepSlot(handle)) {
      if (!this.join(handle)) this.launch('long', [handle], wanted);
      return;
    }
    handle.slotSince = undefined;
    if (!this.dispatchNow(handle)) this.enqueue(handle);
  }

  /** A job that just had its long-poll answered keeps the slot for its next question, within its quantum. */
  private mayKeepSlot(handle: JobHandle<J>): boolean {
    const quantum = this.config.slotQuantum ?? 10 * this.config.overflowInterval;
    const since = handle.slotSince ?? this.config.scheduler.now();
    return this.books.inFlight < this.config.maxConnections && (this.books.waiting.size === 0 || this.config.scheduler.now() - since < quantum);
  }

  /**
   * A long-poll that could share with nobody goes out at once when a
   * connection is free and no older question waits for one: waiting for the
   * next turn would add latency and batch nothing. It leaves the last
   * connection for snapshots, unless nothing else is queued at all.
   */
  private dispatchNow(handle: JobHandle<J>): boolean {
    const { books } = this;
    if (handle.wanted === undefined || handle.key !== undefined || books.waiting.size > 0) return false;
    const spare = books.snapshots.size > 0 || books.tasks.size > 0 ? 1 : 0;
    if (books.inFlight + spare >= this.config.maxConnections) return false;
    if (!this.join(handle)) this.launch('long', [handle], handle.wanted);
    return true;
  }

  /** Joins a single-id long-poll in flight for the same job and status, if there is one. */
  private join(handle: JobHandle<J>): boolean {
    const flight = this.watches.findOther(handle, (other) => {
      const its = other.flight;
      return its?.kind === 'long' && !its.over && its.ids.length === 1 && its.wanted === handle.wanted;
    })?.flight;
    if (flight === undefined) return false;
    handle.flight = flight;
    flight.handles.push(handle);
    return true;
  }

  private enqueue(handle: JobHandle<J>): void {
    this.books.enqueue(handle, this.config.scheduler.now());
    this.schedulePump();
  }

  /** {@link RequestOwner}: the open question is answered or withdrawn: out of every queue and flight. */
  withdraw(handle: JobHandle<J>): void {
    handle.asking = false;
    this.books.dequeue(handle);
    const { flight, sweep } = handle;
    handle.flight = handle.sweep = undefined;
    this.leave(handle, flight);
    this.leave(handle, sweep);
  }

  /** The handle no longer waits on `flight`; a flight nobody waits on is aborted. */
  private leave(handle: JobHandle<J>, flight: Flight<J> | undefined): void {
    if (flight === undefined || flight.over) return;
    const index = flight.handles.indexOf(handle);
    if (index >= 0) flight.handles.splice(index, 1);
    if (flight.handles.length === 0) {
      this.books.land(flight);
      flight.request?.cancel();
      this.schedulePump();
    }
  }

  private schedulePump(): void {
    if (this.pumpAction !== undefined) return;
    this.pumpAction = nextTurn(this.config.scheduler, () => {
      this.pumpAction = undefined;
      this.pump();
    });
  }

  private pump(): void {
    const { maxConnections, overflowInterval, scheduler } = this.config;
    const { books } = this;
    const now = scheduler.now();

    // 0. Other requests (creates): one each, before any fetch.
    while (books.tasks.size > 0 && (books.inFlight < maxConnections || this.preempt())) {
      const task = books.tasks.first()!;
      books.tasks.remove(task.node);
      task.running = true;
      books.inFlight += 1;
      const request = task.start(task);
      if (!task.over) task.request = request;
    }

    // 1. Snapshots: first reads and polls; short, and batched freely. Room left takes polls due soon:
    // each is the poll its job would have sent a little later, for no request of its own.
    while (books.snapshots.size > 0 && (books.inFlight < maxConnections || this.preempt())) {
      const batch = books.takeSnapshots();
      for (const handle of batch) books.dequeue(handle);
      const early = books.takeEarly(batch, now);
      for (let index = batch.length - early; index < batch.length; index++) batch[index]!.sink.polledEarly?.(now);
      this.launch('snapshot', batch, undefined);
    }

    // 2. Jobs waiting for a slot whose check is due.
    for (;;) {
      const head = books.sweepOrder.first();
      if (head === undefined || head.dueAt > now) break;
      if (books.inFlight >= maxConnections && !this.preempt()) break;
      const batch = books.takeSweep(now + overflowInterval / 2);
      if (batch.length === 0) break;
      for (const handle of batch) books.checked(handle, now);
      this.launch('sweep', batch, undefined);
    }

    // 3. Long-polls, oldest question first.
    while (books.waiting.size > 0 && books.inFlight < maxConnections) {
      const head = books.waiting.first()!;
      if (!head.alone && this.join(head)) {
        books.dequeue(head);
        continue;
      }
      const batch = books.takeLongPoll(head);
      // The last connection stays free for snapshots while anything else waits.
      const othersWait = books.waiting.size > batch.length || books.snapshots.size > 0 || books.tasks.size > 0;
      if (othersWait && books.inFlight >= maxConnections - 1) break;
      for (const handle of batch) books.dequeue(handle);
      this.launch('long', batch, head.wanted);
    }

    this.armSweepTimer(now);
  }

  /**
   * Sets the timer for the next check that falls due. A check already due
   * that could not go (no free connection, or its job is being checked) needs
   * no timer: the request that ends first pumps again.
   */
  private armSweepTimer(now: number): void {
    const next = this.books.nextCheckDue(now);
    if (next === this.sweepTimerAt) return;
    this.sweepTimer?.unsubscribe();
    this.sweepTimer = undefined;
    this.sweepTimerAt = next;
    if (next === Infinity) return;
    this.sweepTimer = this.config.scheduler.schedule(() => {
      this.sweepTimer = undefined;
      this.sweepTimerAt = Infinity;
      this.pump();
    }, Math.max(0, next - now));
  }

  /**
   * Gives up the youngest long-poll to free a connection for snapshots, when
   * every connection holds a long-poll. One lane is enough: while a snapshot
   * request is open, nothing more is given up.
   */
  private preempt(): boolean {
    const { books } = this;
    if (books.inFlight > books.longFlights.size) return false;
    const youngest = books.longFlights.last();
    if (youngest === undefined) return false;
    const handles = youngest.handles.slice();
    books.land(youngest);
    youngest.request?.cancel();
    for (const handle of handles) {
      if (handle.flight !== youngest) continue;
      handle.flight = undefined;
      handle.slotSince = undefined;
      // Its long-poll has not answered, so its status is known as of now: it is due a check an interval from now.
      this.enqueue(handle);
    }
    return true;
  }

  private launch(kind: Flight<J>['kind'], batch: JobHandle<J>[], wanted: string | undefined): void {
    this.books.launch(this, kind, batch, wanted, this.config.scheduler.now(), this.send);
  }

  /** {@link RequestOwner}: a flight's answer, each job to every open question it answers. */
  answered(flight: Flight<J>, results: readonly JobResult<J>[]): void {
    if (flight.over) return;
    this.books.land(flight);
    this.schedulePump();
    for (const result of results) this.watches.forEach(result.id, (handle) => this.deliver(handle, flight, result));
    // Questions this flight was to answer, whose job was not in the answer.
    for (const handle of flight.handles.length === 1 ? flight.handles : flight.handles.slice()) {
      if (!handle.asking) continue;
      if (handle.flight === flight) this.settle(handle, undefined, new Error(`clipstream: no result for "${handle.id}" (internal error)`));
      else if (handle.sweep === flight) handle.sweep = undefined;
    }
  }

  private deliver(handle: JobHandle<J>, flight: Flight<J>, result: JobResult<J>): void {
    if (!handle.asking) return;
    const mine = handle.flight === flight || handle.sweep === flight;
    if (result.error !== undefined) {
      if (!mine) return;
      // A multi-id answer that left the job out may have been a server's slip: ask once more, alone.
      if (result.missing && flight.ids.length > 1 && !handle.triedAlone) {
        handle.triedAlone = true;
        handle.alone = true;
        if (handle.sweep === flight) handle.sweep = undefined;
        else {
          handle.flight = undefined;
          this.enqueue(handle);
        }
        return;
      }
      this.settle(handle, undefined, result.error);
      return;
    }
    // A long-poll or snapshot of its own answers as it is; anything else only if it is news enough.
    if ((handle.flight === flight && flight.kind !== 'sweep') || handle.wanted === undefined || this.config.rank(result.job) >= handle.wantedRank) {
      handle.keepsSlot = handle.flight === flight && flight.kind === 'long';
      this.settle(handle, result.job, undefined);
    } else if (handle.sweep === flight) {
      handle.sweep = undefined;
    }
  }

  /** {@link RequestOwner}: a flight's failure. */
  failed(flight: Flight<J>, error: unknown): void {
    if (flight.over) return;
    this.books.land(flight);
    this.schedulePump();
    const split = flight.ids.length > 1 && this.config.splitOn(error);
    for (const handle of flight.handles.slice()) {
      if (!handle.asking) continue;
      if (handle.sweep === flight) {
        handle.sweep = undefined;
        // A swept question still waits for its slot; after a split it is checked on its own.
        if (split) handle.alone = true;
        else this.settle(handle, undefined, error);
      } else if (handle.flight === flight) {
        handle.flight = undefined;
        if (split) {
          handle.alone = true;
          this.enqueue(handle);
        } else this.settle(handle, undefined, error);
      }
    }
  }

  private settle(handle: JobHandle<J>, job: J | undefined, error: unknown): void {
    this.withdraw(handle);
    if (error !== undefined) handle.sink.fail(error);
    else handle.sink.answer(job as J);
  }
}
