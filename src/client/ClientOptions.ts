import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { ConfigError } from '../errors/ConfigError.js';
import type { AnyProvider } from '../providers/Provider.js';
import { rejectUnknownKeys } from '../providers/providerConfig.js';
import { fetchTransport, type FetchLike } from '../transport/fetchTransport.js';
import type { Transport } from '../transport/Transport.js';

/** How failed requests are retried. Durations in milliseconds. */
export interface RetryOptions {
  /**
   * Retries per request after the first try; 0 turns retrying off.
   * The budget starts afresh for every request of a watch.
   * @default 5
   */
  limit?: number;
  /** Upper bound of the first retry's delay; doubles with each retry (full jitter: the delay is random below the bound). @default 500 */
  baseDelay?: number;
  /** The bound stops doubling here. @default 20000 */
  maxDelay?: number;
  /** Longest `Retry-After` (429, 503) honoured; a longer one waits this long. @default 60000 */
  maxRetryAfter?: number;
  /** Source of randomness for the jitter, returning [0, 1). Pass `() => 1` for exact delays in tests. @default Math.random */
  random?: () => number;
}

/** How often to ask again when the server did not hold the request. Durations in milliseconds. */
export interface PollingOptions {
  /**
   * sunoapi.com (no wait parameter): the pause between requests.
   * Long-poll APIs: the least time between two requests that bring no change,
   * so a server that answers at once without waiting is not hammered.
   * At least 10.
   * @default 3000 for sunoapi.com, 1000 for the AI/ML API
   */
  interval?: number;
  /** sunoapi.com: the pause grows by this factor each time nothing changed. @default 1.5 */
  backoff?: number;
  /** sunoapi.com: the pause stops growing here. @default 15000 */
  maxInterval?: number;
}

/** Options of `createClient`. Every field is optional. */
export interface ClientOptions {
  /** The fetch to send requests with. @default cross-fetch */
  fetch?: FetchLike;
  /** Replaces HTTP altogether, e.g. with `scriptedTransport` from `clipstream/testing`. Excludes `fetch`. */
  transport?: Transport;
  /** Drives every delay: retries, polling, deadlines, batching. @default asyncScheduler (TestScheduler.run virtualises it) */
  scheduler?: SchedulerLike;
  /** A number is `{ limit }`. */
  retry?: number | RetryOptions;
  /**
   * The client's own limit on one request. Must exceed the server's long-poll
   * timeout (120000 for Suno, 30000 for Luma).
   * @default 150000 (AI/ML Suno), 60000 (AI/ML Luma), 30000 (sunoapi.com)
   */
  requestTimeout?: number;
  /** A number is `{ interval }`. */
  polling?: number | PollingOptions;
  /**
   * Most ids per fetch request, up to the API's limit (6 for the AI/ML API, 2 for sunoapi.com).
   * 1 sends one request per id: lowest latency, most connections.
   * @default the API's limit
   */
  maxBatchSize?: number;
  /** How long to collect fetches into one request. @default 0 (those made in the same turn) */
  batchWindow?: number;
}

export interface ResolvedOptions {
  readonly transport: Transport;
  readonly scheduler: SchedulerLike;
  readonly retry: Required<RetryOptions>;
  readonly requestTimeout: number;
  readonly polling: Required<PollingOptions>;
  readonly maxBatchSize: number;
  readonly batchWindow: number;
}

const clientKeys = ['fetch', 'transport', 'scheduler', 'retry', 'requestTimeout', 'polling', 'maxBatchSize', 'batchWindow'];

/** Checks the options once and fills in the defaults, naming the field and value of anything wrong. */
export function resolveClientOptions(options: ClientOptions | undefined, provider: AnyProvider): ResolvedOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'expected an object');
  rejectUnknownKeys('options', options, clientKeys);
  const longPoll = provider.longPollTimeout;

  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new ConfigError('options.fetch', `expected a function, got ${typeof options.fetch}`);
  }
  if (options.transport !== undefined && typeof options.transport?.request !== 'function') {
    throw new ConfigError('options.transport', 'expected an object with a request(request) method');
  }
  if (options.transport !== undefined && options.fetch !== undefined) {
    throw new ConfigError('options.transport', 'give either fetch or transport, not both');
  }
  if (options.scheduler !== undefined && typeof options.scheduler?.schedule !== 'function') {
    throw new ConfigError('options.scheduler', 'expected an RxJS scheduler');
  }

  const retry = typeof options.retry === 'number' ? { limit: options.retry } : (options.retry ?? {});
  if (typeof retry !== 'object' || retry === null) throw new ConfigError('options.retry', 'expected a number or an object');
  rejectUnknownKeys('options.retry', retry, ['limit', 'baseDelay', 'maxDelay', 'maxRetryAfter', 'random']);
  if (retry.random !== undefined && typeof retry.random !== 'function') {
    throw new ConfigError('options.retry.random', 'expected a function returning a number in [0, 1)');
  }

  const polling = typeof options.polling === 'number' ? { interval: options.polling } : (options.polling ?? {});
  if (typeof polling !== 'object' || polling === null) {
    throw new ConfigError('options.polling', 'expected a number or an object');
  }
  rejectUnknownKeys('options.polling', polling, ['interval', 'backoff', 'maxInterval']);

  const requestTimeout = number(
    'options.requestTimeout',
    options.requestTimeout,
    longPoll === undefined ? 30_000 : longPoll + 30_000,
    1,
  );
  if (longPoll !== undefined && requestTimeout <= longPoll) {
    throw new ConfigError(
      'options.requestTimeout',
      `${requestTimeout} must be longer than the ${provider.title} long-poll timeout (${longPoll} ms), or every quiet long-poll would time out`,
    );
  }
  // A floor, so no setting turns polling (or a server that does not hold requests) into a busy loop.
  const interval = number('options.polling.interval', polling.interval, longPoll === undefined ? 3_000 : 1_000, 10);
  const resolvedPolling = {
    interval,
    backoff: number('options.polling.backoff', polling.backoff, 1.5, 1),
    maxInterval: number('options.polling.maxInterval', polling.maxInterval, Math.max(15_000, interval)),
  };
  if (resolvedPolling.maxInterval < interval) {
    throw new ConfigError('options.polling.maxInterval', `${resolvedPolling.maxInterval} is below polling.interval (${interval})`);
  }

  const maxBatchSize = integer('options.maxBatchSize', options.maxBatchSize, provider.maxBatchSize, 1);
  if (maxBatchSize > provider.maxBatchSize) {
    throw new ConfigError(
      'options.maxBatchSize',
      `${maxBatchSize} is above what ${provider.title} allows per request (${provider.maxBatchSize})`,
    );
  }

  return {
    transport: options.transport ?? fetchTransport(options.fetch),
    scheduler: options.scheduler ?? asyncScheduler,
    retry: {
      limit: integer('options.retry.limit', retry.limit, 5, 0),
      baseDelay: number('options.retry.baseDelay', retry.baseDelay, 500),
      maxDelay: number('options.retry.maxDelay', retry.maxDelay, 20_000),
      maxRetryAfter: number('options.retry.maxRetryAfter', retry.maxRetryAfter, 60_000),
      random: retry.random ?? Math.random,
    },
    requestTimeout,
    polling: resolvedPolling,
    maxBatchSize,
    batchWindow: number('options.batchWindow', options.batchWindow, 0),
  };
}

/** A finite number of at least `min`, or the default when absent. */
export function number(field: string, value: unknown, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ConfigError(field, `expected a finite number of at least ${min}, got ${describe(value)}`);
  }
  return value;
}

function integer(field: string, value: unknown, fallback: number, min: number): number {
  const result = number(field, value, fallback, min);
  if (!Number.isInteger(result)) throw new ConfigError(field, `expected a whole number, got ${result}`);
  return result;
}

/** A value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
