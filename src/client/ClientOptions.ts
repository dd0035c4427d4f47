import type { JobStore } from '../store/JobStore.js';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { ConfigError } from '../errors/ConfigError.js';
import type { RetryOptions } from '../engine/http/retryPolicy.js';
import { retryDefaults } from '../engine/EngineOptions.js';
import { duration, func, integer, number, oneOf, optionsObject } from '../internal/validate.js';
import type { AnyProvider } from '../providers/Provider.js';
import { defaultMaxConnections, schedulingDefaults, type BatchingPolicy, type SchedulingOptions } from '../engine/SchedulingOptions.js';
import type { FetchLike } from '../transport/fetchTransport.js';
import { defaultMaxResponseBytes } from '../transport/limits.js';
import type { Transport } from '../transport/Transport.js';
import { pollingDefaults, type PollingOptions, type ResolvedPolling } from '../watch/pacing.js';
import type { ResolvedOptions } from '../engine/EngineOptions.js';

export type { ResolvedOptions } from '../engine/EngineOptions.js';

/** Options of `createClient`. Every field is optional; durations are in milliseconds. */
export interface ClientOptions extends SchedulingOptions {
  /** The fetch to send requests with. @default the platform's fetch (cross-fetch where there is none) */
  fetch?: FetchLike;
  /**
   * Replaces HTTP altogether, e.g. with `scriptedTransport` from
   * `clipstream/testing`. Excludes `fetch` and `maxResponseBytes`. Not for a
   * relay client, which streams with `fetch`.
   */
  transport?: Transport;
  /** Drives every delay: retries, polling, deadlines, batching, the governor. @default asyncScheduler (TestScheduler.run virtualises it) */
  scheduler?: SchedulerLike;
  /**
   * Keeps each watched job's statuses, and which jobs are followed, where a
   * new process finds them (`redisStore` from `clipstream/redis`): a watch
   * continues from the status stored (as with `since`), and `unfinished()`
   * lists what a crashed process was following. Jobs are stored redacted.
   * @default none (nothing is kept beyond the process)
   */
  store?: JobStore;
  /** A number is `{ limit }`. */
  retry?: number | RetryOptions;
  /**
   * The client's own limit on one long-poll. Must exceed the server's
   * long-poll timeout (120000 for Suno, 30000 for Luma).
   * @default the server's long-poll timeout + 30000: 150000 (AI/ML Suno), 60000 (AI/ML Luma)
   */
  requestTimeout?: number;
  /**
   * The client's own limit on a request the server answers at once: a first
   * read, a poll of an API without a wait parameter, a check of a job
   * waiting for a connection.
   * @default 30000
   */
  snapshotTimeout?: number;
  /** A number is `{ interval }`. */
  polling?: number | PollingOptions;
  /**
   * The largest response body accepted, in bytes, counted after
   * decompression while it streams; a larger one fails its request at the
   * limit, without a retry. Ignored with `transport` (give it to `fetchTransport`).
   * @default 4194304 (4 MiB)
   */
  maxResponseBytes?: number;
}


/** The defaults of {@link ClientOptions} that are one value (the others depend on the API or the platform; their `@default` says how). */
export const clientDefaults = { snapshotTimeout: 30_000, maxResponseBytes: defaultMaxResponseBytes } as const;

const clientKeys = [
  'fetch',
  'transport',
  'scheduler',
  'store',
  'retry',
  'requestTimeout',
  'snapshotTimeout',
  'polling',
  'maxBatchSize',
  'maxConnections',
  'batching',
  'overflowInterval',
  'maxResponseBytes',
];

/** Checks the options once and fills in the defaults, naming the field and value of anything wrong. */
export function resolveClientOptions(given: ClientOptions | undefined, provider: AnyProvider): ResolvedOptions {
  const options = optionsObject('options', given, clientKeys) as ClientOptions;
  const longPoll = provider.longPollTimeout;

  func('options.fetch', options.fetch, undefined as never);
  if (options.transport !== undefined && typeof options.transport?.request !== 'function') {
    throw new ConfigError('options.transport', 'expected an object with a request(request) method');
  }
  if (options.transport !== undefined && (options.fetch !== undefined || options.maxResponseBytes !== undefined)) {
    throw new ConfigError(
      'options.transport',
      `give either transport or ${options.fetch !== undefined ? 'fetch' : 'maxResponseBytes'}, not both (a transport reads bodies itself: fetchTransport({ maxResponseBytes }))`,
    );
  }
  if (options.scheduler !== undefined && typeof options.scheduler?.schedule !== 'function') {
    throw new ConfigError('options.scheduler', 'expected an RxJS scheduler');
  }

  const retry = optionsObject('options.retry', typeof options.retry === 'number' ? { limit: options.retry } : options.retry, [
    'limit',
    'baseDelay',
    'maxDelay',
    'maxRetryAfter',
    'random',
  ]) as RetryOptions;
  const polling = optionsObject('options.polling', typeof options.polling === 'number' ? { interval: options.polling } : options.polling, [
    'learn',
    'interval',
    'backoff',
    'maxInterval',
  ]) as PollingOptions;

  const requestTimeout = duration('options.requestTimeout', options.requestTimeout, longPoll === undefined ? 30_000 : longPoll + 30_000, { min: 1 });
  if (longPoll !== undefined && requestTimeout <= longPoll) {
    throw new ConfigError(
      'options.requestTimeout',
      `${requestTimeout} must be longer than the ${provider.title} long-poll timeout (${longPoll} ms), or every quiet long-poll would time out`,
    );
  }
  // A floor, so no setting turns polling (or a server that does not hold requests) into a busy loop.
  const interval = duration('options.polling.interval', polling.interval, longPoll === undefined ? 3_000 : 1_000, { min: 10 });
  const resolvedPolling = {
    interval,
    backoff: number('options.polling.backoff', polling.backoff, pollingDefaults.backoff, 1),
    maxInterval: duration('options.polling.maxInterval', polling.maxInterval, Math.max(pollingDefaults.maxInterval, interval)),
    // Checked by the HTTP engine (polling/learningOptions), so a page's relay client carries none of it.
    learn: polling.learn,
    fixed: (['interval', 'backoff', 'maxInterval'] as const).filter((key) => polling[key] !== undefined),
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

  if (options.store !== undefined && (typeof options.store?.record !== 'function' || typeof options.store.history !== 'function')) {
    throw new ConfigError('options.store', 'expected a JobStore: memoryStore(), or redisStore({ client }) from clipstream/redis');
  }
  return {
    store: options.store,
    fetch: options.fetch,
    transport: options.transport,
    maxResponseBytes: integer('options.maxResponseBytes', options.maxResponseBytes, clientDefaults.maxResponseBytes, 1),
    scheduler: options.scheduler ?? asyncScheduler,
    retry: {
      limit: integer('options.retry.limit', retry.limit, retryDefaults.limit, 0, 1_000),
      baseDelay: duration('options.retry.baseDelay', retry.baseDelay, retryDefaults.baseDelay),
      maxDelay: duration('options.retry.maxDelay', retry.maxDelay, retryDefaults.maxDelay),
      maxRetryAfter: duration('options.retry.maxRetryAfter', retry.maxRetryAfter, retryDefaults.maxRetryAfter),
      random: func('options.retry.random', retry.random, retryDefaults.random, 'a function returning a number in [0, 1)'),
    },
    requestTimeout,
    snapshotTimeout: duration('options.snapshotTimeout', options.snapshotTimeout, clientDefaults.snapshotTimeout, { min: 1 }),
    polling: resolvedPolling,
    maxBatchSize,
    maxConnections: integer('options.maxConnections', options.maxConnections, defaultMaxConnections(), 1, Infinity),
    batching: oneOf('options.batching', options.batching, ['together', 'always', 'never'], schedulingDefaults.batching),
    overflowInterval: duration('options.overflowInterval', options.overflowInterval, schedulingDefaults.overflowInterval, { min: 10 }),
  };
}
