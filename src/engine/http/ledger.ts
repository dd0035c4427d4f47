import type { JobResult } from '../../codecs/decodeJobs.js';
import type { QueueNode } from '../../internal/Queue.js';
import type { Cancellable, Sink, WatchSink } from '../../internal/Sink.js';

// The request scheduler's ledger: a watch's handle, a create's task, a
// request in flight. Each calls back into its owner through the interfaces
// below (the scheduler implements them), so nothing here imports it.

/** What a handle and a flight tell the scheduler that owns them. */
export interface RequestOwner<J> {
  ask(handle: JobHandle<J>, wanted: string | undefined, group: string | undefined, passive: boolean, earlyFrom: number | undefined): void;
  withdraw(handle: JobHandle<J>): void;
  close(handle: JobHandle<J>): void;
  answered(flight: Flight<J>, results: readonly JobResult<J>[]): void;
  failed(flight: Flight<J>, error: unknown): void;
}

/** What a task tells its owner: whether this is its first end (it hears once). */
export interface TaskOwner {
  ended(task: Task<unknown>): boolean;
}

/**
 * One watch of one job, as the scheduler sees it, reused for each of its
 * questions: "the job, once it is at `wanted` or above" (or now, for a
 * snapshot). Made by `FetchScheduler.open`.
 */
export class JobHandle<J> implements Cancellable {
  /** A question is open. */
  asking = false;
  /** Undefined for a snapshot: any answer will do. */
  wanted: string | undefined = undefined;
  wantedRank = -1;
  /** Questions with the same key may share a long-poll; undefined: never. */
  key: string | undefined = undefined;
  /** Ask its id alone: an earlier batch with it could not say which id was wrong. */
  alone = false;
  /** Its job was missing from a multi-id answer, and it was asked again alone. */
  triedAlone = false;
  /** When it is next due for a snapshot while it waits for a long-poll slot (scheduler clock). */
  dueAt = 0;
  /** The long-poll it waits on, or the snapshot request that will answer it. */
  flight: Flight<J> | undefined = undefined;
  /** A snapshot request checking on it while it waits for a long-poll slot. */
  sweep: Flight<J> | undefined = undefined;
  /** Its place among the snapshots or the waiting questions. */
  queueNode: QueueNode<JobHandle<J>> | undefined = undefined;
  /** Its place in the sweep order. */
  sweepNode: QueueNode<JobHandle<J>> | undefined = undefined;
  /** Its place among the waiting questions of its batch key. */
  keyNode: QueueNode<JobHandle<J>> | undefined = undefined;
  /** Since when it has held a long-poll slot without a break; undefined when it holds none. */
  slotSince: number | undefined = undefined;
  /** Its last question was answered by its own long-poll, so its next may keep the slot. */
  keepsSlot = false;
  closed = false;
  /** From when its passive question's poll may go early, while it may; see `QueueLedger.offerEarly`. */
  earlyFrom: number | undefined = undefined;

  constructor(
    private readonly owner: RequestOwner<J>,
    readonly id: string,
    readonly sink: WatchSink<J>,
  ) {}

  /**
   * Asks for the job once it is at `wanted` or above, or whatever a long-poll
   * for it answered (its current status at the server's timeout); for a
   * snapshot (`wanted` undefined), its status now. The sink hears once.
   * Jobs asked with the same `group` may share a long-poll.
   *
   * A `passive` question sends nothing: it is answered only by news that
   * other requests bring (a watch listens so while it waits out a pause).
   * With `earlyFrom`, the job may ride from then on in a snapshot that goes
   * with room to spare (see `WatchHandle.ask`).
   */
  ask(wanted: string | undefined, group: string | undefined, passive = false, earlyFrom?: number): void {
    this.owner.ask(this, wanted, group, passive, earlyFrom);
  }

  /** Withdraws the open question, aborting a request nobody else waits on. */
  cancel(): void {
    if (this.asking) this.owner.withdraw(this);
  }

  /** Withdraws the open question and ends the watch. */
  close(): void {
    this.cancel();
    if (!this.closed) this.owner.close(this);
  }
}

/** A request that is not a fetch (a create), run within the budget. */
export class Task<T> implements Sink<T>, Cancellable {
  node: QueueNode<Task<T>> | undefined = undefined;
  request: Cancellable | undefined = undefined;
  running = false;
  over = false;

  constructor(
    private readonly owner: TaskOwner,
    readonly start: (sink: Sink<T>) => Cancellable,
    private readonly sink: Sink<T>,
  ) {}

  answer(value: T): void {
    if (this.owner.ended(this)) this.sink.answer(value);
  }

  fail(error: unknown): void {
    if (this.owner.ended(this)) this.sink.fail(error);
  }

  cancel(): void {
    if (this.owner.ended(this)) this.request?.cancel();
  }
}

/** One request in flight and the watches it serves. */
export class Flight<J> implements Sink<readonly JobResult<J>[]> {
  request: Cancellable | undefined = undefined;
  over = false;
  /** Its place among the long-polls in flight. */
  longNode: QueueNode<Flight<J>> | undefined = undefined;

  constructor(
    private readonly owner: RequestOwner<J>,
    readonly kind: 'long' | 'snapshot' | 'sweep',
    readonly ids: readonly string[],
    readonly wanted: string | undefined,
    readonly handles: JobHandle<J>[],
  ) {}

  answer(results: readonly JobResult<J>[]): void {
    this.owner.answered(this, results);
  }

  fail(error: unknown): void {
    this.owner.failed(this, error);
  }
}
