import { BehaviorSubject, distinctUntilChanged, type Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { Queue, type QueueNode } from '../../internal/Queue.js';
import type { ClientHealth } from '../ClientEngine.js';

export type { ClientHealth } from '../ClientEngine.js';

/** A request the governor lets go when it may. */
export interface Startable {
  start(): void;
}

/** A request's pass through the governor: `done()` when its attempt is over. */
export interface Ticket {
  done(): void;
}

/** What a request that went at once gets back: nothing to undo. */
const spent: Ticket = { done: () => undefined };

/** A request waiting for the governor to let it go. */
interface Entry {
  readonly request: Startable;
  timer?: Subscription;
  node?: QueueNode<Entry>;
}

/**
 * The one rate-limit governor of a client.
 *
 * A 429 or 503 with `Retry-After` pauses every request of the client until
 * then (at most `maxPause`). When the pause ends, one request goes first as a
 * probe; the others wait for its answer. If that is another 429/503, the pause
 * starts again; otherwise the waiting requests are released, each after a
 * random delay within a jitter window (a tenth of the pause, 50 ms to 2 s), so
 * they do not land on the server in the same millisecond.
 *
 * Requests already in flight when a pause starts are left alone.
 */
export class Governor {
  private readonly waiting = new Queue<Entry>();
  private readonly releasing = new Set<Entry>();
  private probe: Entry | undefined;
  private pauseTimer: Subscription | undefined;
  private lastPause = 0;
  private readonly state$ = new BehaviorSubject<ClientHealth>({ state: 'ok' });
  /** The state, also read where speed matters (every request asks). */
  private current: ClientHealth = this.state$.value;

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly maxPause: number,
    private readonly random: () => number,
    /** Told of each pause a response of this client asked for (not of those told by `pauseFor`): to share it with other processes. */
    private readonly onPause?: (status: number, retryAfter: number) => void,
  ) {}

  /** The governor's state, now and as it changes. */
  get health$(): Observable<ClientHealth> {
    return this.state$.pipe(distinctUntilChanged((a, b) => a.state === b.state && (a.state !== 'paused' || a === b)));
  }

  get health(): ClientHealth {
    return this.current;
  }

  private setState(state: ClientHealth): void {
    this.current = state;
    this.state$.next(state);
  }

  /**
   * Starts `request` now if requests may go, or once they may. Returns the
   * request's handle: `done()` when its attempt is over (answered, failed or
   * cancelled), which also takes it out of the queue if it never started.
   */
  admit(request: Startable): Ticket {
    const { state } = this.current;
    if (state === 'ok') {
      request.start();
      return spent;
    }
    const entry: Entry = { request };
    if (state === 'probing' && this.probe === undefined) {
      this.probe = entry;
      request.start();
    } else {
      entry.node = this.waiting.push(entry);
    }
    return { done: () => this.finish(entry) };
  }

  /** Every response and every failure without one passes through here. */
  report(status: number | undefined, retryAfter: number | undefined): void {
    if (status !== undefined && retryAfter !== undefined && (status === 429 || status === 503)) {
      this.pause(status, retryAfter);
      this.onPause?.(status, retryAfter);
      return;
    }
    if (this.current.state === 'probing') this.resume();
  }

  /** A pause another process's client was asked for, at the same API: this one waits as well. */
  pauseFor(status: number, retryAfter: number): void {
    this.pause(status, retryAfter);
  }

  private pause(status: number, retryAfter: number): void {
    const length = Math.max(0, Math.min(retryAfter, this.maxPause));
    const until = this.scheduler.now() + length;
    const current = this.current;
    if (current.state === 'paused' && current.until >= until) return;
    // Requests released but not yet started go back to waiting.
    for (const entry of this.releasing) {
      entry.timer?.unsubscribe();
      entry.node = this.waiting.push(entry);
    }
    this.releasing.clear();
    this.probe = undefined;
    this.lastPause = length;
    this.pauseTimer?.unsubscribe();
    this.setState({ state: 'paused', status, until, retryAfter: length });
    this.pauseTimer = this.scheduler.schedule(() => this.startProbing(), length);
  }

  private startProbing(): void {
    this.pauseTimer = undefined;
    this.setState({ state: 'probing' });
    this.nextProbe();
  }

  private nextProbe(): void {
    const first = this.waiting.first();
    if (first === undefined) {
      this.probe = undefined;
      return;
    }
    this.waiting.remove(first.node);
    this.probe = first;
    first.request.start();
  }

  private resume(): void {
    this.probe = undefined;
    this.setState({ state: 'ok' });
    const spread = Math.min(2_000, Math.max(50, this.lastPause / 10));
    for (let entry = this.waiting.first(); entry !== undefined; entry = this.waiting.first()) {
      this.waiting.remove(entry.node);
      this.releasing.add(entry);
      entry.timer = this.scheduler.schedule(() => {
        this.releasing.delete(entry);
        entry.timer = undefined;
        entry.request.start();
      }, Math.floor(this.random() * spread));
    }
  }

  private finish(entry: Entry): void {
    this.waiting.remove(entry.node);
    if (this.releasing.delete(entry)) entry.timer?.unsubscribe();
    // A probe that ended without a report (cancelled, or no answer at all) hands over to the next one.
    if (this.probe === entry) {
      this.probe = undefined;
      if (this.current.state === 'probing') this.nextProbe();
    }
  }
}
