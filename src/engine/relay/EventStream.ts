import type { SchedulerLike, Subscription } from 'rxjs';
import { HttpError, type RequestInfo } from '../../errors/HttpError.js';
import { NetworkError } from '../../errors/NetworkError.js';
import type { StreamingFetch } from '../../transport/FetchLike.js';
import type { HelloEvent, RelayRefusal } from './protocol.js';
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

/** The defaults of {@link ReconnectPolicy}: 36 tries over one to two minutes, never more than 4 s apart, so a browser is back within seconds of its relay. */
export const defaultReconnect: ReconnectPolicy = { tries: 36, baseDelay: 500, maxDelay: 4_000, random: Math.random, linger: 2_000 };

/** What the stream tells the membership above it. */
export interface StreamListener {
  /** Whether any watch wants the stream: without one, a dropped stream is not opened again. */
  wanted(): boolean;
  /** The relay said hello: `fresh` when it is a new stream, which knows no id yet. */
  hello(fresh: boolean): void;
  /** An event other than hello, its data parsed. */
  event(name: string, payload: unknown): void;
  /** The stream cannot be had (refused, or `tries` failures in a row): every watch fails with `error`. */
  failAll(error: Error): void;
}

/**
 * The transport of a relay client: one Server-Sent Events stream, resumed
 * with `Last-Event-ID` when it drops, reconnected with backoff while the
 * relay cannot be reached, taken for dead when silent for two heartbeats.
 * Which ids it carries is the business of its listener.
 */
export class EventStream {
  /** The relay's id of the stream, once it said hello. */
  id: string | undefined;
  private lastEventId: string | undefined;
  private abort: AbortController | undefined;
  private retryAction: Subscription | undefined;
  private watchdog: Subscription | undefined;
  private heartbeat = 15_000;
  private failures = 0;

  constructor(
    private readonly url: string,
    private readonly context: { readonly scheduler: SchedulerLike; readonly fetch: StreamingFetch; readonly reconnect: ReconnectPolicy },
    private readonly listener: StreamListener,
  ) {}

  /** Whether the stream is open or about to be opened again. */
  get live(): boolean {
    return this.abort !== undefined || this.retryAction !== undefined;
  }

  connect(): void {
    this.retryAction = undefined;
    const abort = new AbortController();
    this.abort = abort;
    const resume = this.id === undefined ? '' : `?stream=${encodeURIComponent(this.id)}`;
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (resume && this.lastEventId !== undefined) headers['last-event-id'] = this.lastEventId;
    const url = `${this.url}${resume}`;
    this.context
      .fetch(url, { method: 'GET', headers, signal: abort.signal })
      .then(async (response) => {
        if (response.status === 404 && resume) {
          // Too late to resume: a new stream, told every id again.
          this.id = undefined;
          this.lastEventId = undefined;
          throw new Error('resume refused');
        }
        if (response.status !== 200) {
          const error = refusedBy({ method: 'GET', url, attempt: this.failures + 1 }, response.status, jsonOf(await response.text()));
          // A refusal (too many streams, not allowed) would be the same on every try: the watches fail.
          if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
            this.listener.failAll(error);
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
        if (!this.listener.wanted()) return;
        // Back off while the relay cannot be reached; after `tries` failures in a row, the watches fail.
        this.failures += 1;
        const { tries, baseDelay, maxDelay, random } = this.context.reconnect;
        if (this.failures > tries) {
          this.listener.failAll(new NetworkError({ method: 'GET', url, attempt: this.failures }, 'connection', 'the relay could not be reached'));
          return;
        }
        const delay = Math.min(maxDelay, baseDelay * 2 ** (this.failures - 1)) * (0.5 + random() / 2);
        this.retryAction = this.context.scheduler.schedule(() => this.connect(), delay);
      });
  }

  /** Drops the stream and opens it again at once (resuming it, unless `forget`ting its id), if a watch wants it. */
  reconnectNow(forget = false): void {
    if (forget) this.id = undefined;
    this.abort?.abort();
    this.abort = undefined;
    this.retryAction?.unsubscribe();
    this.retryAction = undefined;
    if (this.listener.wanted()) this.connect();
  }

  /** Closes the stream for good (until `connect`): nothing is resumed after this. */
  close(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.watchdog?.unsubscribe();
    this.retryAction?.unsubscribe();
    this.retryAction = undefined;
    this.id = undefined;
    this.lastEventId = undefined;
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
    if (event !== 'hello') return this.listener.event(event, payload);
    const hello = payload as HelloEvent;
    const fresh = hello.stream !== this.id;
    this.id = hello.stream;
    this.heartbeat = hello.heartbeat;
    this.failures = 0;
    this.listener.hello(fresh);
  }
}
