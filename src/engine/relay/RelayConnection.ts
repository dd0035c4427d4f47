import type { SchedulerLike, Subscription } from 'rxjs';
import { HttpError, type RequestInfo } from '../../errors/HttpError.js';
import { NetworkError } from '../../errors/NetworkError.js';
import { reviveError } from '../../errors/revive.js';
import { nextTurn } from '../../internal/nextTurn.js';
import type { Sink } from '../../internal/Sink.js';
import type { ErrorEvent, HelloEvent, JobEvent, RelayRefusal, StreamChange } from './protocol.js';
import type { StreamingFetch } from '../../transport/FetchLike.js';
import { sseParser, type SseEvent } from './sse.js';

/** The JSON of a relay's answer, or undefined for a body that is not JSON (the status says enough then). */
export function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The HttpError of a relay's refusal, with the message of its `{ error, message }` body. */
export function refusedBy(info: RequestInfo, status: number, body: unknown): HttpError {
  const refusal = body as RelayRefusal | undefined;
  return new HttpError({ request: info, status, body: refusal, detail: refusal?.message });
}

/** What a relay connection needs: the client's clock, a streaming fetch, and how to read the jobs of events. */
export interface RelayContext<J> {
  readonly scheduler: SchedulerLike;
  /** The position of a job's status in the provider's order. */
  rank(job: J): number;
  /** The position of a status name. */
  rankOf(status: string): number;
  /** The client's `fetch` option, or the platform's. */
  readonly fetch: StreamingFetch;
  /** The job in an event, decoded, or an error saying why it is not one. */
  decode(id: string, job: unknown): { job: J } | { error: Error };
  readonly reconnect: ReconnectPolicy;
}

/** How a relay client reconnects its stream, and how long it keeps one no watch uses. Durations in ms. */
export interface ReconnectPolicy {
  /** Failed connections in a row after which the watches fail with a `NetworkError`. */
  readonly tries: number;
  /** The pause after the first failure; it doubles with each, up to `maxDelay`, times a random 0.5–1. */
  readonly baseDelay: number;
  readonly maxDelay: number;
  /** A number in [0, 1): the jitter's randomness (a seeded one in tests). */
  readonly random: () => number;
  /** How long a stream with no watch left stays open, in case one starts. */
  readonly linger: number;
}

/** The defaults of {@link ReconnectPolicy}: ten tries over about two minutes. */
export const defaultReconnect: ReconnectPolicy = { tries: 10, baseDelay: 500, maxDelay: 30_000, random: Math.random, linger: 2_000 };

/** One watch of one job through the relay, reused for each of its questions. */
class RelayHandle<J> {
  asking = false;
  wantedRank = -1;
  closed = false;

  constructor(
    private readonly owner: RelayConnection<J>,
    readonly id: string,
    readonly sink: Sink<J>,
  ) {}

  ask(wanted: string | undefined): void {
    this.asking = true;
    this.wantedRank = wanted === undefined ? -1 : this.owner.rankOf(wanted);
    this.owner.check(this);
  }

  cancel(): void {
    this.asking = false;
  }

  close(): void {
    this.asking = false;
    if (!this.closed) this.owner.close(this);
  }
}

/**
 * A browser client's one stream to the relay, carrying every job it
 * watches. Jobs are added and removed as watches start and end (one POST per
 * turn for all of them); a dropped stream is resumed with `Last-Event-ID`,
 * and what the relay replays is given to the watches, which drop what they
 * have seen already. Nothing is asked of the relay beyond that: the relay
 * pushes each transition as its upstream watch sees it.
 */
export class RelayConnection<J> {
  private readonly handles = new Map<string, Set<RelayHandle<J>>>();
  private readonly latest = new Map<string, J>();
  private readonly failed = new Map<string, Error>();
  /** Ids the relay is told of (or will be, at the next flush). */
  private readonly following = new Set<string>();
  private readonly toAdd = new Set<string>();
  private readonly toRemove = new Set<string>();
  /** Ids whose upstream watch ended in an error: a new watch asks the relay to try again. */
  private readonly retry = new Set<string>();
  /** POSTs in flight, aborted when the stream goes. */
  private readonly posts = new Set<AbortController>();
  private stream: string | undefined;
  private lastEventId: string | undefined;
  private abort: AbortController | undefined;
  private flushAction: Subscription | undefined;
  private retryAction: Subscription | undefined;
  private watchdog: Subscription | undefined;
  private idleAction: Subscription | undefined;
  private heartbeat = 15_000;
  private failures = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly api: string,
    private readonly context: RelayContext<J>,
  ) {}

  rankOf(status: string): number {
    return this.context.rankOf(status);
  }

  /** Opens a watch of job `id`: the relay is told at the next turn. */
  open(id: string, sink: Sink<J>): RelayHandle<J> {
    const handle = new RelayHandle(this, id, sink);
    let set = this.handles.get(id);
    if (set === undefined) {
      this.handles.set(id, (set = new Set()));
      this.toRemove.delete(id);
      if (!this.following.has(id) || this.retry.has(id)) this.toAdd.add(id);
      this.retry.delete(id);
      this.scheduleFlush();
    }
    set.add(handle);
    this.idleAction?.unsubscribe();
    this.idleAction = undefined;
    if (this.abort === undefined && this.retryAction === undefined) this.connect();
    return handle;
  }

  /** @internal answers an open question from what is known of the job already. */
  check(handle: RelayHandle<J>): void {
    const error = this.failed.get(handle.id);
    if (error) return this.settle(handle, undefined, error);
    const job = this.latest.get(handle.id);
    if (job !== undefined && (handle.wantedRank < 0 || this.context.rank(job) >= handle.wantedRank)) this.settle(handle, job, undefined);
  }

  /** @internal a watch ended: when a job has no watch left, the relay is told to drop it. */
  close(handle: RelayHandle<J>): void {
    handle.closed = true;
    const set = this.handles.get(handle.id);
    if (!set?.delete(handle) || set.size > 0) return;
    this.handles.delete(handle.id);
    this.latest.delete(handle.id);
    this.failed.delete(handle.id);
    this.toAdd.delete(handle.id);
    if (this.following.has(handle.id)) this.toRemove.add(handle.id);
    else this.retry.delete(handle.id);
    this.scheduleFlush();
    if (this.handles.size === 0) {
      // No watch left: close the stream a moment later, unless one starts meanwhile.
      this.idleAction ??= this.context.scheduler.schedule(() => {
        this.idleAction = undefined;
        if (this.handles.size === 0) this.disconnect();
      }, this.context.reconnect.linger);
    }
  }

  private settle(handle: RelayHandle<J>, job: J | undefined, error: Error | undefined): void {
    handle.asking = false;
    if (error) handle.sink.fail(error);
    else handle.sink.answer(job as J);
  }

  private scheduleFlush(): void {
    if (this.flushAction !== undefined || this.stream === undefined) return;
    this.flushAction = nextTurn(this.context.scheduler, () => {
      this.flushAction = undefined;
      this.flush();
    });
  }

  /** Tells the relay which ids were added and removed since the last flush, in one request. */
  private flush(): void {
    const stream = this.stream;
    if (stream === undefined || (this.toAdd.size === 0 && this.toRemove.size === 0)) return;
    const add = [...this.toAdd];
    const remove = [...this.toRemove];
    this.toAdd.clear();
    this.toRemove.clear();
    for (const id of add) this.following.add(id);
    for (const id of remove) {
      this.following.delete(id);
      this.retry.delete(id);
    }
    this.post(stream, add, remove);
  }

  private post(stream: string, add: readonly string[], remove: readonly string[]): void {
    const change: StreamChange = { add: add.map((id) => ({ api: this.api, id })), remove: remove.map((id) => ({ api: this.api, id })) };
    const url = `${this.baseUrl}/streams/${encodeURIComponent(stream)}`;
    const info = { method: 'POST', url, attempt: 1 };
    const requeue = () => {
      for (const id of add) {
        this.following.delete(id);
        if (this.handles.has(id)) this.toAdd.add(id);
      }
      this.reconnectNow();
    };
    // Aborted with the stream: a POST outlives neither the connection nor the client.
    const posting = new AbortController();
    this.posts.add(posting);
    this.context
      .fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(change), signal: posting.signal })
      .finally(() => this.posts.delete(posting))
      .then(async (response) => {
        if (response.status === 204) return;
        const text = await response.text();
        if (response.status === 404) {
          // The stream expired: a new one is opened, and told every id. A 404 for a stream already replaced says nothing new.
          if (stream === this.stream) {
            this.stream = undefined;
            this.reconnectNow();
          }
          return;
        }
        if (response.status === 502 || response.status === 503 || response.status === 504) {
          // A balancer between instances (502, 504), or a relay whose store is down (503): the ids are told
          // again over the next connection, which backs off while the relay cannot serve. A 429 is a limit: it fails.
          requeue();
          return;
        }
        if (add.length > 1) {
          // One id the relay refuses (not allowed, a bad id) must not fail the others: each is asked for alone.
          add.forEach((id, index) => this.post(stream, [id], index === 0 ? remove : []));
          return;
        }
        const error = refusedBy(info, response.status, jsonOf(text));
        for (const id of add) {
          this.following.delete(id);
          this.fail(id, error);
        }
      })
      // The POST did not arrive: ask again with the next connection (not when it was aborted with its stream).
      .catch(() => {
        if (!posting.signal.aborted) requeue();
      });
  }

  /** Every watch of `id` fails with `error`; the relay still holds the id (or was never told of it, for a refusal). */
  private fail(id: string, error: Error): void {
    if (!this.handles.has(id)) return;
    this.failed.set(id, error);
    this.retry.add(id);
    for (const handle of [...(this.handles.get(id) ?? [])]) if (handle.asking) this.settle(handle, undefined, error);
  }

  private connect(): void {
    this.retryAction = undefined;
    const abort = new AbortController();
    this.abort = abort;
    const resume = this.stream === undefined ? '' : `?stream=${encodeURIComponent(this.stream)}`;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (resume && this.lastEventId !== undefined) headers['last-event-id'] = this.lastEventId;
    const url = `${this.baseUrl}/events${resume}`;
    this.context
      .fetch(url, { method: 'GET', headers, signal: abort.signal })
      .then(async (response) => {
        if (response.status === 404 && resume) {
          // Too late to resume: a new stream, told every id again.
          this.stream = undefined;
          this.lastEventId = undefined;
          throw new Error('resume refused');
        }
        if (response.status !== 200) {
          const error = refusedBy({ method: 'GET', url, attempt: this.failures + 1 }, response.status, jsonOf(await response.text()));
          // A refusal (too many streams, not allowed) would be the same on every try: the watches fail.
          if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
            for (const id of [...this.handles.keys()]) this.fail(id, error);
            this.abort = undefined;
            return;
          }
          throw error;
        }
        await this.read(response.body, abort);
        throw new Error('the stream ended');
      })
      .catch(() => {
        if (this.abort !== abort) return;
        this.abort = undefined;
        this.watchdog?.unsubscribe();
        if (this.handles.size === 0) return;
        // Back off while the relay cannot be reached; after `tries` failures in a row, the watches fail.
        this.failures += 1;
        const { tries, baseDelay, maxDelay, random } = this.context.reconnect;
        if (this.failures > tries) {
          const error = new NetworkError({ method: 'GET', url, attempt: this.failures }, 'connection', 'the relay could not be reached');
          for (const id of [...this.handles.keys()]) this.fail(id, error);
          return;
        }
        const delay = Math.min(maxDelay, baseDelay * 2 ** (this.failures - 1)) * (0.5 + random() / 2);
        this.retryAction = this.context.scheduler.schedule(() => this.connect(), delay);
      });
  }

  private async read(body: unknown, abort: AbortController): Promise<void> {
    const reader = (body as { getReader?: () => { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> } } | null)?.getReader?.();
    if (!reader) throw new Error('no stream');
    const decoder = new TextDecoder();
    const feed = sseParser(
      (event) => this.event(event),
      () => this.alive(abort),
    );
    abort.signal.addEventListener('abort', () => void reader.cancel().catch(() => undefined), { once: true });
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      this.alive(abort);
      feed(decoder.decode(value, { stream: true }));
    }
  }

  /** Data came: the stream lives. Silent for two heartbeats, it is taken for dead and opened again. */
  private alive(abort: AbortController): void {
    this.watchdog?.unsubscribe();
    this.watchdog = this.context.scheduler.schedule(() => abort.abort(), 2 * this.heartbeat + 1_000);
  }

  private event({ event, data, id }: SseEvent): void {
    if (id !== undefined) this.lastEventId = id;
    let payload: unknown;
    try {
      payload = JSON.parse(data);
    } catch {
      return;
    }
    if (event === 'hello') {
      const hello = payload as HelloEvent;
      const fresh = hello.stream !== this.stream;
      this.stream = hello.stream;
      this.heartbeat = hello.heartbeat;
      this.failures = 0;
      if (fresh) {
        // A new stream knows nothing: every id is added again.
        this.following.clear();
        for (const known of this.handles.keys()) this.toAdd.add(known);
      }
      this.scheduleFlush();
      return;
    }
    if (event === 'job') {
      const { id: jobId, job } = payload as JobEvent;
      if (!this.handles.has(jobId)) return;
      const decoded = this.context.decode(jobId, job);
      if ('error' in decoded) return this.fail(jobId, decoded.error);
      const known = this.latest.get(jobId);
      if (known === undefined || this.context.rank(decoded.job) >= this.context.rank(known)) this.latest.set(jobId, decoded.job);
      for (const handle of [...(this.handles.get(jobId) ?? [])]) if (handle.asking) this.check(handle);
      return;
    }
    if (event === 'error') {
      const { id: jobId, error } = payload as ErrorEvent;
      this.fail(jobId, reviveError(error, `${this.baseUrl} (${this.api} ${jobId})`));
    }
  }

  private reconnectNow(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.retryAction?.unsubscribe();
    this.retryAction = undefined;
    if (this.handles.size > 0) this.connect();
  }

  private disconnect(): void {
    for (const posting of this.posts) posting.abort();
    this.posts.clear();
    this.abort?.abort();
    this.abort = undefined;
    this.watchdog?.unsubscribe();
    this.retryAction?.unsubscribe();
    this.retryAction = undefined;
    this.stream = undefined;
    this.lastEventId = undefined;
    this.following.clear();
  }
}
