// Over 250 lines: the policy (the pump's phases, preemption, the sweep) reads
// and changes the queues and flights in the same step, so it is still in this
// class; the mechanism under it is apart (ledger.ts: handles, tasks, flights;
// takeBatch.ts: which jobs share a request). Moving the policy out is open work.
import type { SchedulerLike, Subscription } from 'rxjs';
import type { JobResult } from '../../codecs/decodeJobs.js';
import { Queue, type QueueNode } from '../../internal/Queue.js';
import { nextTurn } from '../../internal/nextTurn.js';
import type { Cancellable, Sink } from '../../internal/Sink.js';
import { takeBatch } from './takeBatch.js';
import { Flight, JobHandle, Task, type RequestOwner, type TaskOwner } from './ledger.js';

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
 * Every queue is a linked list whose nodes the handles keep, so adding,
 * removing and taking the oldest are O(1): cancelling a watch never scans a queue.
 */
export class FetchScheduler<J> implements RequestOwner<J>, TaskOwner {
  private readonly tasks = new Queue<Task<unknown>>();
  private readonly snapshots = new Queue<JobHandle<J>>();
  private readonly waiting = new Queue<JobHandle<J>>();
  /** The waiting questions in order of `dueAt`: a swept one moves to the end. */
  private readonly sweepOrder = new Queue<JobHandle<J>>();
  private readonly byKey = new Map<string, Queue<JobHandle<J>>>();
  /** Long-polls in flight, oldest first: the youngest is the one given up when snapshots need a lane. */
  private readonly longFlights = new Queue<Flight<J>>();
  /** Every open watch, by job id. */
  private readonly byId = new Map<string, JobHandle<J> | JobHandle<J>[]>();
  private inFlight = 0;
  private pumpAction: Subscription | undefined;
  private sweepTimer: Subscription | undefined;
  private sweepTimerAt = Infinity;

  constructor(private readonly config: FetchSchedulerConfig<J>) {}

  /** Requests open now. */
  get openRequests(): number {
    return this.inFlight;
  }

  /**
   * Runs a request that is not a fetch (a create) within the connection
   * budget, ahead of every fetch. `sink` hears once; the result cancels.
   */
  run<T>(start: (sink: Sink<T>) => Cancellable, sink: Sink<T>): Cancellable {
    const task = new Task<T>(this, start, sink);
    task.node = this.tasks.push(task as Task<unknown>);
    this.schedulePump();
    return task;
  }

  /** {@link TaskOwner}: a task answered, failed or was cancelled; false if it was over already. */
  ended(task: Task<unknown>): boolean {
    if (task.over) return false;
    task.over = true;
    if (task.running) {
      this.inFlight -= 1;
      this.schedulePump();
    } else this.tasks.remove(task.node);
    return true;
  }

  /**
   * News of a job from outside the fetches (a webhook: `client.ingest`): it
   * answers every open question about the job it satisfies, as an answer to
   * a request made for another question would.
   */
  news(id: string, job: J): void {
    const entry = this.byId.get(id);
    if (entry === undefined) return;
    for (const handle of Array.isArray(entry) ? entry.slice() : [entry]) {
      if (handle.asking && (handle.wanted === undefined || this.config.rank(job) >= handle.wantedRank)) this.settle(handle, job, undefined);
    }
  }

  /** Opens a watch of job `id`, whose answers go to `sink`. */
  open(id: string, sink: Sink<J>): JobHandle<J> {
    const handle = new JobHandle(this, id, sink);
    const entry = this.byId.get(id);
    if (entry === undefined) this.byId.set(id, handle);
    else if (Array.isArray(entry)) entry.push(handle);
    else this.byId.set(id, [entry, handle]);
    return handle;
  }

  /** {@link RequestOwner}: see {@link JobHandle.close}. */
  close(handle: JobHandle<J>): void {
    handle.closed = true;
    const entry = this.byId.get(handle.id);
    if (entry === handle) this.byId.delete(handle.id);
    else if (Array.isArray(entry)) {
      const index = entry.indexOf(handle);
      if (index >= 0) entry.splice(index, 1);
      if (entry.length === 1) this.byId.set(handle.id, entry[0]!);
    }
  }

  /** {@link RequestOwner}: see {@link JobHandle.ask}. */
  ask(handle: JobHandle<J>, wanted: string | undefined, group: string | undefined, passive: boolean): void {
    if (handle.asking) this.withdraw(handle);
    handle.asking = true;
    handle.wanted = wanted;
    handle.wantedRank = wanted === undefined ? -1 : this.config.rankOf(wanted);
    handle.key = wanted === undefined || group === undefined ? undefined : `${group}\u0000${wanted}`;
    handle.alone = false;
    handle.triedAlone = false;
    if (passive) return;
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
    return this.inFlight < this.config.maxConnections && (this.waiting.size === 0 || this.config.scheduler.now() - since < quantum);
  }

  /**
   * A long-poll that could share with nobody goes out at once when a
   * connection is free and no older question waits for one: waiting for the
   * next turn would add latency and batch nothing. It leaves the last
   * connection for snapshots, unless nothing else is queued at all.
   */
  private dispatchNow(handle: JobHandle<J>): boolean {
    if (handle.wanted === undefined || handle.key !== undefined || this.waiting.size > 0) return false;
    const spare = this.snapshots.size > 0 || this.tasks.size > 0 ? 1 : 0;
    if (this.inFlight + spare >= this.config.maxConnections) return false;
    if (!this.join(handle)) this.launch('long', [handle], handle.wanted);
    return true;
  }

  /** Joins a single-id long-poll in flight for the same job and status, if there is one. */
  private join(handle: JobHandle<J>): boolean {
    const entry = this.byId.get(handle.id);
    if (!Array.isArray(entry)) return false;
    for (const other of entry) {
      const flight = other.flight;
      if (other !== handle && flight?.kind === 'long' && !flight.over && flight.ids.length === 1 && flight.wanted === handle.wanted) {
        handle.flight = flight;
        flight.handles.push(handle);
        return true;
      }
    }
    return false;
  }

  private enqueue(handle: JobHandle<J>): void {
    if (handle.wanted === undefined) {
      handle.queueNode = this.snapshots.push(handle);
    } else {
      handle.dueAt = this.config.scheduler.now() + this.config.overflowInterval;
      handle.queueNode = this.waiting.push(handle);
      handle.sweepNode = this.sweepOrder.push(handle);
      if (handle.key !== undefined && !handle.alone) {
        let group = this.byKey.get(handle.key);
        if (group === undefined) this.byKey.set(handle.key, (group = new Queue()));
        handle.keyNode = group.push(handle);
      }
    }
    this.schedulePump();
  }

  /** Takes the question out of every queue (not out of flights). */
  private dequeue(handle: JobHandle<J>): void {
    if (handle.queueNode !== undefined) {
      (handle.wanted === undefined ? this.snapshots : this.waiting).remove(handle.queueNode);
      handle.queueNode = undefined;
    }
    if (handle.sweepNode !== undefined) {
      this.sweepOrder.remove(handle.sweepNode);
      handle.sweepNode = undefined;
    }
    if (handle.keyNode !== undefined) {
      const group = this.byKey.get(handle.key!)!;
      group.remove(handle.keyNode);
      handle.keyNode = undefined;
      if (group.size === 0) this.byKey.delete(handle.key!);
    }
  }

  /** {@link RequestOwner}: the open question is answered or withdrawn: out of every queue and flight. */
  withdraw(handle: JobHandle<J>): void {
    handle.asking = false;
    this.dequeue(handle);
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
      this.land(flight);
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
    const now = scheduler.now();

    // 0. Other requests (creates): one each, before any fetch.
    while (this.tasks.size > 0 && (this.inFlight < maxConnections || this.preempt(now))) {
      const task = this.tasks.first()!;
      this.tasks.remove(task.node);
      task.running = true;
      this.inFlight += 1;
      const request = task.start(task);
      if (!task.over) task.request = request;
    }

    // 1. Snapshots: first reads and polls; short, and batched freely.
    while (this.snapshots.size > 0 && (this.inFlight < maxConnections || this.preempt(now))) {
      const batch = this.take(this.snapshots, undefined);
      for (const handle of batch) this.dequeue(handle);
      this.launch('snapshot', batch, undefined);
    }

    // 2. Jobs waiting for a slot whose check is due.
    for (;;) {
      const head = this.sweepOrder.first();
      if (head === undefined || head.dueAt > now) break;
      if (this.inFlight >= maxConnections && !this.preempt(now)) break;
      const batch = this.takeSweep(now + overflowInterval / 2);
      if (batch.length === 0) break;
      for (const handle of batch) {
        this.sweepOrder.remove(handle.sweepNode);
        handle.dueAt = now + overflowInterval;
        handle.sweepNode = this.sweepOrder.push(handle);
      }
      this.launch('sweep', batch, undefined);
    }

    // 3. Long-polls, oldest question first.
    while (this.waiting.size > 0 && this.inFlight < maxConnections) {
      const head = this.waiting.first()!;
      if (!head.alone && this.join(head)) {
        this.dequeue(head);
        continue;
      }
      const batch = head.key === undefined || head.alone ? [head] : this.take(this.byKey.get(head.key)!, head.wanted);
      // The last connection stays free for snapshots while anything else waits.
      const othersWait = this.waiting.size > batch.length || this.snapshots.size > 0 || this.tasks.size > 0;
      if (othersWait && this.inFlight >= maxConnections - 1) break;
      for (const handle of batch) this.dequeue(handle);
      this.launch('long', batch, head.wanted);
    }

    this.armSweepTimer(now);
  }

  /** Up to `maxBatchSize` distinct ids' worth of questions from `queue`, oldest first, that fit in one request (left in the queue). */
  private take(queue: Queue<JobHandle<J>>, wanted: string | undefined): JobHandle<J>[] {
    const { maxBatchSize } = this.config;
    const head = queue.firstNode()!;
    if (maxBatchSize === 1 || head.value.alone || head.next === undefined) return [head.value];
    return takeBatch(head, { maxBatchSize, fits: (ids) => this.config.fits(ids, wanted) });
  }

  /** Questions due for a snapshot by `horizon`, not already being checked, up to one request's worth. */
  private takeSweep(horizon: number): JobHandle<J>[] {
    return takeBatch(this.sweepOrder.firstNode(), { maxBatchSize: this.config.maxBatchSize, fits: (ids) => this.config.fits(ids, undefined) }, (handle) =>
      handle.dueAt > horizon ? 'stop' : handle.sweep !== undefined ? 'skip' : 'take',
    );
  }

  /**
   * Sets the timer for the next check that falls due. A check already due
   * that could not go (no free connection, or its job is being checked) needs
   * no timer: the request that ends first pumps again.
   */
  private armSweepTimer(now: number): void {
    let next = Infinity;
    for (let node = this.sweepOrder.firstNode(); node !== undefined; node = node.next) {
      if (node.value.sweep === undefined) {
        next = node.value.dueAt > now ? node.value.dueAt : Infinity;
        break;
      }
    }
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
  private preempt(_now: number): boolean {
    if (this.inFlight > this.longFlights.size) return false;
    const youngest = this.longFlights.last();
    if (youngest === undefined) return false;
    const handles = youngest.handles.slice();
    this.land(youngest);
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
    const ids = batch.length === 1 ? [batch[0]!.id] : [...new Set(batch.map((handle) => handle.id))];
    const flight = new Flight<J>(this, kind, ids, wanted, batch);
    for (const handle of batch) {
      if (kind === 'sweep') handle.sweep = flight;
      else handle.flight = flight;
      if (kind === 'long') handle.slotSince ??= this.config.scheduler.now();
    }
    this.inFlight += 1;
    if (kind === 'long') flight.longNode = this.longFlights.push(flight);
    const request = this.config.send(ids, wanted, flight);
    if (!flight.over) flight.request = request;
  }

  /** Marks a flight over and frees its connection. */
  private land(flight: Flight<J>): void {
    if (flight.over) return;
    flight.over = true;
    this.inFlight -= 1;
    this.longFlights.remove(flight.longNode);
  }

  /** {@link RequestOwner}: a flight's answer, each job to every open question it answers. */
  answered(flight: Flight<J>, results: readonly JobResult<J>[]): void {
    if (flight.over) return;
    this.land(flight);
    this.schedulePump();
    for (const result of results) {
      const entry = this.byId.get(result.id);
      if (entry === undefined) continue;
      if (!Array.isArray(entry)) this.deliver(entry, flight, result);
      else for (const handle of entry.slice()) this.deliver(handle, flight, result);
    }
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
    this.land(flight);
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
