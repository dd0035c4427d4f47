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
  queue?: Queue<Entry>;
}

/**
 * The one rate-limit governor of a client.
 *
 * A 429 with `Retry-After` pauses every request of the client until then (at
 * most `maxPause`); so does a 503 with `Retry-After` when the service looks
 * down, at least half of the last eight answers being 503s. A lone 503 among
 * good answers is its request's alone: that request tries again after its
 * `Retry-After`, and the others go on (a pause for each would hold every
 * watch most of the time under a few random refusals). When the pause ends, one request goes first as a
 * probe; the others wait for its answer. If that is another 429/503, the pause
 * starts again; otherwise the waiting requests are released, each after a
 * random delay within a jitter window (a tenth of the pause, 50 ms to 2 s), so
 * they do not land on the server in the same millisecond. A probe the server
 * holds (a long-poll waiting for its job) has been taken, not refused: after
 * half a second (or the pause, if shorter) without an answer, the others go
 * too.
 *
 * Requests already in flight when a pause starts are left alone, and so are
 * those released after the last good probe (spread over their jitter
 * window): the pause holds what comes after.
 */
export class Governor {
  private readonly waiting = new Queue<Entry>();
  /** Retries wait apart, and go before first attempts: they asked first, and a status may be ending meanwhile. */
  private readonly retries = new Queue<Entry>();
  private readonly releasing = new Set<Entry>();
  private probe: Entry | undefined;
  private pauseTimer: Subscription | undefined;
  private lastPause = 0;
  /** Whether each of the last answers (a ring of eight) was a 503. */
  private readonly recent: boolean[] = [];
  private recentAt = 0;
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

  private setState(state: ClientHealth): void {
    this.current = state;
    this.state$.next(state);
  }

  /**
   * Starts `request` now if requests may go, or once they may (a `retry`
   * before the first attempts waiting). Returns the request's handle:
   * `done()` when its attempt is over (answered, failed or cancelled), which
   * also takes it out of the queue if it never started.
   */
  admit(request: Startable, retry = false): Ticket {
    const { state } = this.current;
    if (state === 'ok') {
      request.start();
      return spent;
    }
    const entry: Entry = { request };
    if (state === 'probing' && this.probe === undefined) {
      this.startProbe(entry);
    } else {
      entry.queue = retry ? this.retries : this.waiting;
      entry.node = entry.queue.push(entry);
    }
    return { done: () => this.finish(entry) };
  }

  /**
   * Every response and every failure without one passes through here.
   * Returns whether the client is paused for it: if not, a refused request
   * waits its `Retry-After` on its own.
   */
  report(status: number | undefined, retryAfter: number | undefined): boolean {
    if (status !== undefined) {
      this.recent[this.recentAt] = status === 503;
      this.recentAt = (this.recentAt + 1) % 8;
    }
    if (status !== undefined && retryAfter !== undefined && (status === 429 || (status === 503 && this.serviceLooksDown()))) {
      this.pause(status, retryAfter);
      this.onPause?.(status, retryAfter);
      return true;
    }
    if (this.current.state === 'probing') this.resume();
    return false;
  }

  private serviceLooksDown(): boolean {
    let refused = 0;
    for (const was503 of this.recent) if (was503) refused += 1;
    return 2 * refused >= this.recent.length;
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
    // Requests released after a good probe keep going, spread over their jitter window: were they held
    // back by the 503 of one of their own, a few random refusals would starve them pause after pause.
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

  /**
   * Sends `entry` as the probe. A held probe is not a refusal: half a second
   * (or the pause, if shorter) after it went, without an answer, the others
   * go; else every request would wait for one job's long-poll to answer.
   */
  private startProbe(entry: Entry): void {
    this.probe = entry;
    this.pauseTimer?.unsubscribe();
    this.pauseTimer = this.scheduler.schedule(() => {
      this.pauseTimer = undefined;
      if (this.current.state === 'probing' && this.probe === entry) this.resume();
    }, Math.min(500, this.lastPause));
    entry.request.start();
  }

  /** The next request to go: the oldest retry, else the oldest first attempt; taken out of its queue. */
  private takeNext(): Entry | undefined {
    const entry = this.retries.first() ?? this.waiting.first();
    entry?.queue?.remove(entry.node);
    return entry;
  }

  private nextProbe(): void {
    const first = this.takeNext();
    if (first === undefined) {
      this.probe = undefined;
      return;
    }
    this.startProbe(first);
  }

  private resume(): void {
    this.pauseTimer?.unsubscribe();
    this.pauseTimer = undefined;
    this.probe = undefined;
    this.setState({ state: 'ok' });
    const spread = Math.min(2_000, Math.max(50, this.lastPause / 10));
    for (let entry = this.takeNext(); entry !== undefined; entry = this.takeNext()) {
      this.releasing.add(entry);
      entry.timer = this.scheduler.schedule(() => {
        this.releasing.delete(entry);
        entry.timer = undefined;
        entry.request.start();
      }, Math.floor(this.random() * spread));
    }
  }

  private finish(entry: Entry): void {
    entry.queue?.remove(entry.node);
    if (this.releasing.delete(entry)) entry.timer?.unsubscribe();
    // A probe that ended without a report (cancelled, or no answer at all) hands over to the next one.
    if (this.probe === entry) {
      this.probe = undefined;
      if (this.current.state === 'probing') this.nextProbe();
    }
  }
}
