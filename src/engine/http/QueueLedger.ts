import { MinHeap } from '../../internal/MinHeap.js';
import { Queue } from '../../internal/Queue.js';
import type { Cancellable, Sink } from '../../internal/Sink.js';
import type { JobResult } from '../../codecs/decodeJobs.js';
import { takeBatch } from './takeBatch.js';
import { Flight, type JobHandle, type RequestOwner, type Task } from './ledger.js';

/** What the ledger needs of the scheduler's settings. */
export interface LedgerConfig {
  readonly maxBatchSize: number;
  readonly overflowInterval: number;
  fits(ids: readonly string[], wanted: string | undefined): boolean;
}

/**
 * The mechanism under the scheduler's policy: where questions wait (tasks,
 * snapshots, long-polls by age, their checks by due time, long-polls by
 * batch key) and what is in flight (the open requests, the long-polls by
 * age). It keeps the books and takes batches; what goes when is the
 * policy's, in `FetchScheduler`. Every queue is a linked list whose nodes
 * the handles keep, so adding, removing and taking the oldest are O(1).
 */
export class QueueLedger<J> {
  readonly tasks = new Queue<Task<unknown>>();
  readonly snapshots = new Queue<JobHandle<J>>();
  readonly waiting = new Queue<JobHandle<J>>();
  /** The waiting questions in order of `dueAt`: a swept one moves to the end. */
  readonly sweepOrder = new Queue<JobHandle<J>>();
  /** Long-polls in flight, oldest first: the youngest is the one given up when snapshots need a lane. */
  readonly longFlights = new Queue<Flight<J>>();
  private readonly byKey = new Map<string, Queue<JobHandle<J>>>();
  /**
   * Passive questions by when their poll may go early (`JobHandle.earlyFrom`). An
   * entry whose handle moved on stays until it comes to the top, or until
   * such entries outnumber the live ones and the heap is rebuilt.
   */
  private early = new MinHeap<JobHandle<J>>();
  private earlyLive = 0;
  /** Requests open now. */
  inFlight = 0;

  constructor(private readonly config: LedgerConfig) {}

  /** Queues the handle's question: a snapshot, or a long-poll due a check `overflowInterval` from `now`. */
  enqueue(handle: JobHandle<J>, now: number): void {
    if (handle.wanted === undefined) {
      handle.queueNode = this.snapshots.push(handle);
      return;
    }
    handle.dueAt = now + this.config.overflowInterval;
    handle.queueNode = this.waiting.push(handle);
    handle.sweepNode = this.sweepOrder.push(handle);
    if (handle.key !== undefined && !handle.alone) {
      let group = this.byKey.get(handle.key);
      if (group === undefined) this.byKey.set(handle.key, (group = new Queue()));
      handle.keyNode = group.push(handle);
    }
  }

  /** Takes the question out of every queue (not out of flights). */
  dequeue(handle: JobHandle<J>): void {
    if (handle.earlyFrom !== undefined) {
      handle.earlyFrom = undefined;
      // With none left waiting, nothing in the heap counts: let go of the handles it holds.
      if (--this.earlyLive === 0 && this.early.size > 0) this.early = new MinHeap();
    }
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

  /** Up to `maxBatchSize` distinct ids' worth of snapshots, oldest first, that fit in one request (left in the queue). */
  takeSnapshots(): JobHandle<J>[] {
    return this.take(this.snapshots, undefined);
  }

  /** The oldest long-poll question and those of its batch key that fit in one request with it (left in the queues). */
  takeLongPoll(head: JobHandle<J>): JobHandle<J>[] {
    return head.key === undefined || head.alone ? [head] : this.take(this.byKey.get(head.key)!, head.wanted);
  }

  /** Questions due for a check by `horizon`, not already being checked, up to one request's worth. */
  takeSweep(horizon: number): JobHandle<J>[] {
    return takeBatch(this.sweepOrder.firstNode(), { maxBatchSize: this.config.maxBatchSize, fits: (ids) => this.config.fits(ids, undefined) }, (handle) =>
      handle.dueAt > horizon ? 'stop' : handle.sweep !== undefined ? 'skip' : 'take',
    );
  }

  /** A swept question's next check is an interval from `now`: it moves to the end of the sweep order. */
  checked(handle: JobHandle<J>, now: number): void {
    this.sweepOrder.remove(handle.sweepNode);
    handle.dueAt = now + this.config.overflowInterval;
    handle.sweepNode = this.sweepOrder.push(handle);
  }

  /** The handle's passive question waits for a poll that may go from `from` on: a snapshot with room may take it then. */
  offerEarly(handle: JobHandle<J>, from: number): void {
    if (handle.earlyFrom === undefined) this.earlyLive += 1;
    handle.earlyFrom = from;
    this.early.push(from, handle);
    if (this.early.size > 2 * this.earlyLive + 64) this.compactEarly();
  }

  /**
   * Fills `batch` (a snapshot about to go at `now`) with the passive
   * questions that may go early by then, earliest allowed first, up to
   * `maxBatchSize` ids that fit in one request; each becomes a snapshot
   * question of its own. Returns how many were added, at the end of `batch`.
   */
  takeEarly(batch: JobHandle<J>[], now: number): number {
    const { early } = this;
    const before = batch.length;
    // Nothing allowed yet (always so on a long-poll API); a question asked alone (it broke a batch) stays alone.
    if (early.peekKey() > now || batch.some((handle) => handle.alone)) return 0;
    const ids = batch.map((handle) => handle.id);
    while (early.peekKey() <= now) {
      const from = early.peekKey();
      const handle = early.peek()!;
      // A stale entry: the handle asked again, was answered, or is in a request already.
      if (handle.earlyFrom !== from || !handle.asking || handle.alone || handle.flight !== undefined || handle.sweep !== undefined) {
        early.pop();
        continue;
      }
      if (!ids.includes(handle.id)) {
        if (ids.length >= this.config.maxBatchSize || !this.config.fits([...ids, handle.id], undefined)) break;
        ids.push(handle.id);
      }
      early.pop();
      handle.earlyFrom = undefined;
      this.earlyLive -= 1;
      handle.wanted = undefined;
      handle.wantedRank = -1;
      batch.push(handle);
    }
    return batch.length - before;
  }

  private compactEarly(): void {
    const live = new MinHeap<JobHandle<J>>();
    const kept = new Set<JobHandle<J>>();
    while (this.early.size > 0) {
      const from = this.early.peekKey();
      const handle = this.early.pop()!;
      if (handle.earlyFrom === from && handle.asking && !kept.has(handle)) {
        kept.add(handle);
        live.push(from, handle);
      }
    }
    this.early = live;
  }

  /** When the next check not in flight falls due; Infinity if none, or if it is due already (the next request's end pumps). */
  nextCheckDue(now: number): number {
    for (let node = this.sweepOrder.firstNode(); node !== undefined; node = node.next) {
      if (node.value.sweep === undefined) return node.value.dueAt > now ? node.value.dueAt : Infinity;
    }
    return Infinity;
  }

  /** Sends `batch` as one request of `kind`, booked in flight. */
  launch(
    owner: RequestOwner<J>,
    kind: Flight<J>['kind'],
    batch: JobHandle<J>[],
    wanted: string | undefined,
    now: number,
    send: (ids: readonly string[], wanted: string | undefined, sink: Sink<readonly JobResult<J>[]>) => Cancellable,
  ): void {
    const ids = batch.length === 1 ? [batch[0]!.id] : [...new Set(batch.map((handle) => handle.id))];
    const flight = new Flight<J>(owner, kind, ids, wanted, batch);
    for (const handle of batch) {
      if (kind === 'sweep') handle.sweep = flight;
      else handle.flight = flight;
      if (kind === 'long') handle.slotSince ??= now;
    }
    this.inFlight += 1;
    if (kind === 'long') flight.longNode = this.longFlights.push(flight);
    const request = send(ids, wanted, flight);
    if (!flight.over) flight.request = request;
  }

  /** Marks a flight over and frees its connection. */
  land(flight: Flight<J>): void {
    if (flight.over) return;
    flight.over = true;
    this.inFlight -= 1;
    this.longFlights.remove(flight.longNode);
  }

  private take(queue: Queue<JobHandle<J>>, wanted: string | undefined): JobHandle<J>[] {
    const { maxBatchSize } = this.config;
    const head = queue.firstNode()!;
    if (maxBatchSize === 1 || head.value.alone || head.next === undefined) return [head.value];
    return takeBatch(head, { maxBatchSize, fits: (ids) => this.config.fits(ids, wanted) });
  }
}
