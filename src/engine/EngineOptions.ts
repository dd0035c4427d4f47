import type { SchedulerLike } from 'rxjs';
import type { JobStore } from '../store/JobStore.js';
import type { FetchLike } from '../transport/FetchLike.js';
import type { Transport } from '../transport/Transport.js';
import type { ResolvedPolling } from '../watch/pacing.js';
import type { BatchingPolicy } from './SchedulingOptions.js';

/** A client's options, checked and with their defaults: what the client hands its engine once (`resolveClientOptions` makes it). */
export interface ResolvedOptions {
  /** The `transport` option; the HTTP engine makes a fetch transport when there is none. */
  readonly transport: Transport | undefined;
  readonly maxResponseBytes: number;
  /** The `fetch` option as given: a provider's pushed source streams with it. */
  readonly fetch: FetchLike | undefined;
  readonly scheduler: SchedulerLike;
  readonly store: JobStore | undefined;
  readonly retry: Required<RetryOptions>;
  readonly requestTimeout: number;
  readonly snapshotTimeout: number;
  readonly polling: ResolvedPolling;
  readonly maxBatchSize: number;
  readonly maxConnections: number;
  readonly batching: BatchingPolicy;
  readonly overflowInterval: number;
}

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

/** The defaults of {@link RetryOptions}: `test/build/defaults.test.ts` checks each `@default` above against them. */
export const retryDefaults = { limit: 5, baseDelay: 500, maxDelay: 20_000, maxRetryAfter: 60_000, random: Math.random } as const;
