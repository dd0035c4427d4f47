import type { Observer, SchedulerLike, Subscription } from 'rxjs';
import type { RequestInfo } from '../../errors/HttpError.js';
import { isClipstreamError } from '../../errors/isClipstreamError.js';
import { NetworkError } from '../../errors/NetworkError.js';
import type { Cancellable, Sink } from '../../internal/Sink.js';
import type { QueueNode } from '../../internal/Queue.js';
import type { HttpRequest, HttpResponse, Transport } from '../../transport/Transport.js';
import { TransportError } from '../../transport/TransportError.js';
import type { DeadlineQueue, Timed } from './DeadlineQueue.js';
import type { Governor, Startable, Ticket } from './Governor.js';
import { backoffDelay, honoursRetryAfter, isRetryable, parseRetryAfter, type RetryOptions } from './retryPolicy.js';

/** What one exchange needs from its client. */
export interface ExchangeContext {
  readonly transport: Transport;
  readonly scheduler: SchedulerLike;
  readonly retry: Required<RetryOptions>;
  readonly governor: Governor;
  readonly deadlines: DeadlineQueue;
  /** Applied to every text that came from the server or the request machinery before it reaches an error. */
  readonly redact: (text: string) => string;
  /** Told of each failed attempt that will be tried again (the CLI shows "retrying"). */
  readonly onRetry?: (event: RetryEvent) => void;
  /** What may be tried again. @default {@link isRetryable} */
  readonly retryable?: (error: Error) => boolean;
}

/** One attempt of a request that failed and will be tried again. */
export interface RetryEvent {
  readonly request: RequestInfo;
  readonly error: Error;
  /** Milliseconds before the next try (a `Retry-After` pause is the governor's and not counted here). */
  readonly delay: number;
}

/**
 * One HTTP exchange: sends `request` through the governor, waits at most
 * `timeout` ms for the whole response, turns it into a value with
 * `interpret` (which throws the error the response amounts to), and retries
 * what {@link isRetryable} allows, up to `retry.limit` times. `sink` hears
 * once: the value, or a typed `ClipstreamError`; the result cancels.
 *
 * One object per request rather than a chain of operators: there are many
 * thousands of these at a time, and each operator would add a subscriber
 * and closures to every one of them.
 */
export function startExchange<T>(
  context: ExchangeContext,
  request: HttpRequest,
  timeout: number,
  interpret: (response: HttpResponse, info: RequestInfo) => T,
  sink: Sink<T>,
): Cancellable {
  const run = new Exchange(context, request, timeout, interpret, sink);
  run.begin();
  return run;
}

/** One try of the request; it is also the `RequestInfo` its errors name. */
class Attempt<T> implements Observer<HttpResponse>, Startable, Timed, RequestInfo {
  ticket: Ticket | undefined;
  deadline: QueueNode<Timed> | undefined;
  deadlineAt = 0;
  connection: Subscription | undefined;
  ended = false;
  answered = false;
  readonly method: string;
  readonly url: string;

  constructor(
    private readonly run: Exchange<T>,
    request: HttpRequest,
    readonly attempt: number,
  ) {
    this.method = request.method;
    this.url = request.url;
  }

  /** The governor lets it go. */
  start(): void {
    this.run.send(this);
  }

  next(response: HttpResponse): void {
    if (this.answered) return;
    this.answered = true;
    this.run.answered(this, response);
  }

  error(error: unknown): void {
    if (this.answered) return;
    this.answered = true;
    this.run.failed(this, error);
  }

  complete(): void {
    if (this.answered) return;
    this.answered = true;
    this.run.failed(this, new NetworkError(this, 'connection', 'the transport completed without a response'));
  }

  timedOut(): void {
    this.deadline = undefined;
    if (this.answered) return;
    this.answered = true;
    this.run.failed(this, new NetworkError(this, 'timeout', `no response within ${this.run.timeout} ms`));
  }
}

class Exchange<T> implements Cancellable {
  private tries = 0;
  /** Failures retried after a backoff (not after a Retry-After): the backoff's exponent. */
  private backoffs = 0;
  private current: Attempt<T> | undefined;
  private backoff: Subscription | undefined;
  private stopped = false;

  constructor(
    private readonly context: ExchangeContext,
    private readonly request: HttpRequest,
    readonly timeout: number,
    private readonly interpret: (response: HttpResponse, info: RequestInfo) => T,
    private readonly sink: Sink<T>,
  ) {}

  begin(): void {
    this.backoff = undefined;
    this.tries += 1;
    const attempt = new Attempt<T>(this, this.request, this.tries);
    this.current = attempt;
    const ticket = this.context.governor.admit(attempt, this.tries > 1);
    if (attempt.ended) ticket.done();
    else attempt.ticket = ticket;
  }

  cancel(): void {
    this.stopped = true;
    this.backoff?.unsubscribe();
    if (this.current) this.end(this.current);
  }

  send(attempt: Attempt<T>): void {
    attempt.deadline = this.context.deadlines.add(this.timeout, attempt);
    let connection: Subscription;
    try {
      connection = this.context.transport.request(this.request).subscribe(attempt);
    } catch (error) {
      // A transport that throws instead of erroring fails this request, not the whole client.
      attempt.error(error);
      return;
    }
    // A transport that answered synchronously has ended the attempt already.
    if (attempt.ended) connection.unsubscribe();
    else attempt.connection = connection;
  }

  private end(attempt: Attempt<T>): void {
    if (attempt.ended) return;
    attempt.ended = true;
    if (attempt.deadline) this.context.deadlines.cancel(this.timeout, attempt.deadline);
    attempt.connection?.unsubscribe();
    attempt.ticket?.done();
  }

  answered(attempt: Attempt<T>, response: HttpResponse): void {
    const { governor, scheduler } = this.context;
    const header = response.headers['retry-after'];
    const retryAfter = header === undefined ? undefined : parseRetryAfter(header, scheduler.now());
    const paused = governor.report(response.status, retryAfter);
    let value: T;
    try {
      value = this.interpret(response, attempt);
    } catch (error) {
      this.retryOrFail(attempt, error instanceof Error ? error : new Error(String(error)), paused);
      return;
    }
    this.end(attempt);
    if (this.stopped) return;
    this.stopped = true;
    this.sink.answer(value);
  }

  failed(attempt: Attempt<T>, error: unknown): void {
    this.context.governor.report(undefined, undefined);
    this.retryOrFail(attempt, fromTransport(error, attempt, this.context.redact));
  }

  /** `paused`: the governor paused the client for this answer, and the retry queues behind the pause. */
  private retryOrFail(attempt: Attempt<T>, error: Error, paused = false): void {
    this.end(attempt);
    if (this.stopped) return;
    const { retry, scheduler } = this.context;
    if (attempt.attempt <= retry.limit && (this.context.retryable ?? isRetryable)(error)) {
      // A Retry-After the governor did not make everyone's (a lone 503) is this request's own wait.
      const retryAfter = isClipstreamError(error, 'HttpError') && honoursRetryAfter(error.status) ? error.retryAfter : undefined;
      // The backoff grows with the failures that had no Retry-After only: a few refusals that said when to come back must not
      // push the next try past the life of the status being watched.
      const delay = paused ? 0 : retryAfter !== undefined ? Math.min(retryAfter, retry.maxRetryAfter) : backoffDelay(++this.backoffs, retry);
      this.context.onRetry?.({ request: { method: attempt.method, url: attempt.url, attempt: attempt.attempt }, error, delay });
      this.backoff = scheduler.schedule(() => this.begin(), delay);
      return;
    }
    this.stopped = true;
    this.sink.fail(error);
  }
}

/** A transport failure as the `NetworkError` it amounts to, its message redacted and its cause dropped. */
function fromTransport(error: unknown, info: RequestInfo, redact: (text: string) => string): Error {
  if (isClipstreamError(error)) return error;
  if (error instanceof TransportError) return new NetworkError(info, error.failure, redact(error.message));
  const message = error instanceof Error ? error.message : String(error);
  return new NetworkError(info, 'connection', redact(message));
}
