/**
 * Which long-polls may share a request:
 * - `together` (default): only jobs that move or are waited for together:
 *   the jobs of one `watchMany` call at the same status (the two clips of one
 *   Suno create move in lockstep), and the jobs of one `waitForAll`. Every
 *   other job gets a long-poll of its own, so its changes come back within
 *   one round trip.
 * - `always`: every job waiting for the same status, up to the API's limit
 *   per request: fewest requests, but a multi-id long-poll answers only once
 *   every job in it has reached the status, so a job can be held back by the
 *   slowest of its batch.
 * - `never`: one long-poll per job, even within a `watchMany`.
 *
 * Snapshots (first reads, polled APIs, checks of jobs waiting for a
 * connection) are always batched: the server answers them at once, so
 * batching costs no latency.
 */
export type BatchingPolicy = 'together' | 'always' | 'never';

/** How the client's requests are scheduled: batching and the connection budget. */
export interface SchedulingOptions {
  /**
   * The most requests the client has open at once, retries and long-polls
   * included. Jobs beyond what it allows for long-polls are checked with
   * snapshot requests of up to `maxBatchSize` ids every `overflowInterval`,
   * and take a long-poll slot as one frees, oldest first.
   *
   * The default leaves room: in a browser, 4 of the 6 connections an
   * HTTP/1.1 page gets per host; elsewhere (Node, Deno, Bun), 64, enough for
   * a pipeline to long-poll each of dozens of jobs on its own, few enough not
   * to look like a flood to the API.
   * @default 64, or 4 in a browser
   */
  maxConnections?: number;
  /** Which long-polls share a request. @default "together" */
  batching?: BatchingPolicy;
  /**
   * Most ids per fetch request, up to the API's limit (6 for the AI/ML API, 2 for sunoapi.com).
   * @default the API's limit
   */
  maxBatchSize?: number;
  /**
   * How often a job that waits for a long-poll slot is checked with a
   * snapshot request, in ms. 900 ms with six ids per request is 5.4 times
   * fewer requests than polling each job every second, at a lower median latency.
   * @default 900
   */
  overflowInterval?: number;
}

/** The default `maxConnections`: see {@link SchedulingOptions.maxConnections}. */
export function defaultMaxConnections(): number {
  const global = globalThis as { document?: unknown; window?: unknown };
  return typeof global.document === 'object' && typeof global.window === 'object' ? 4 : 64;
}

/** The defaults of {@link SchedulingOptions} that are one value (`maxConnections` and `maxBatchSize` depend on where and on the API). */
export const schedulingDefaults = { batching: 'together', overflowInterval: 900 } as const;
