import type { SchedulerLike, Subscription } from 'rxjs';
import { nextTurn } from '../../internal/nextTurn.js';
import { Queue, type QueueNode } from '../../internal/Queue.js';

/** What waits for a deadline; the queue notes the time on it. */
export interface Timed {
  deadlineAt: number;
  timedOut(): void;
}

/**
 * Request timeouts without a timer per request. Every request of one kind
 * has the same timeout, so their deadlines come in the order they started:
 * a FIFO queue per timeout length holds them, and one scheduler timer waits
 * for the earliest. Adding and cancelling are O(1), where a timer each would
 * cost thousands of timer-list inserts and removals for requests that nearly
 * all answer in time.
 */
export class DeadlineQueue {
  /** One queue per timeout length; there are only a few lengths, so empty queues are kept. */
  private readonly queues = new Map<number, Queue<Timed>>();
  private count = 0;
  private timer: Subscription | undefined;
  private timerAt = Infinity;
  private idleCheck: Subscription | undefined;

  constructor(private readonly scheduler: SchedulerLike) {}

  /** Calls `timed.timedOut()` in `ms` unless the returned node is cancelled first. */
  add(ms: number, timed: Timed): QueueNode<Timed> {
    let queue = this.queues.get(ms);
    if (queue === undefined) this.queues.set(ms, (queue = new Queue()));
    const at = this.scheduler.now() + ms;
    timed.deadlineAt = at;
    const node = queue.push(timed);
    this.count += 1;
    // A timer already set for this time or earlier will do: when it fires early it is set again.
    if (at < this.timerAt) this.arm();
    return node;
  }

  /**
   * Cancels a deadline. The timer is left for the earliest deadline as it
   * was (when it fires early, it is set again for the new earliest), except
   * when none is left: then it goes, so it does not keep a process alive.
   * That is checked a turn later, so a request that starts right after
   * another ended finds the timer still set.
   */
  cancel(ms: number, node: QueueNode<Timed>): void {
    if (!node.queued) return;
    this.queues.get(ms)?.remove(node);
    this.count -= 1;
    if (this.count > 0 || this.idleCheck !== undefined || this.timer === undefined) return;
    this.idleCheck = nextTurn(this.scheduler, () => {
      this.idleCheck = undefined;
      if (this.count === 0) this.disarm();
    });
  }

  private disarm(): void {
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private arm(): void {
    let earliest = Infinity;
    for (const queue of this.queues.values()) {
      const head = queue.first();
      if (head !== undefined && head.deadlineAt < earliest) earliest = head.deadlineAt;
    }
    if (earliest === this.timerAt) return;
    this.disarm();
    this.timerAt = earliest;
    if (earliest === Infinity) return;
    this.timer = this.scheduler.schedule(() => this.fire(), Math.max(0, earliest - this.scheduler.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.scheduler.now();
    const due: Timed[] = [];
    for (const queue of this.queues.values()) {
      for (let node = queue.firstNode(); node !== undefined && node.value.deadlineAt <= now; node = queue.firstNode()) {
        queue.remove(node);
        this.count -= 1;
        due.push(node.value);
      }
    }
    for (const timed of due) timed.timedOut();
    this.arm();
  }
}
