import type { LearnedPollingOptions } from '../polling/learningOptions.js';

export type { LearnedPollingOptions } from '../polling/learningOptions.js';

/** How often to ask again when the server did not hold the request. Durations in milliseconds. */
export interface PollingOptions {
  /**
   * Learned polling (see {@link LearnedPollingOptions}): the default for APIs
   * that cannot wait, unless `interval`, `backoff` or `maxInterval` is given.
   * `false` keeps the fixed schedule below.
   */
  learn?: boolean | LearnedPollingOptions;
  /**
   * APIs without a wait parameter (sunoapi.com, the generic AI/ML endpoints,
   * Luma's own API): the pause between requests. Long-poll APIs: the least
   * time between two requests that bring no change, so a server that answers
   * at once without waiting is not hammered. At least 10.
   * @default 3000 for polled APIs, 1000 for long-poll APIs
   */
  interval?: number;
  /** Polled APIs: the pause grows by this factor each time nothing changed. @default 1.5 */
  backoff?: number;
  /** Polled APIs: the pause stops growing here. @default 15000 */
  maxInterval?: number;
}

/** The defaults of {@link PollingOptions} that are one value (`interval` depends on the API). */
export const pollingDefaults = { backoff: 1.5, maxInterval: 15_000 } as const;

/** The polling a client does, resolved: the fixed schedule; `learn` as given, which the HTTP engine checks and resolves. */
export interface ResolvedPolling {
  readonly interval: number;
  readonly backoff: number;
  readonly maxInterval: number;
  readonly learn: PollingOptions['learn'];
  /** The fixed-schedule options given (`interval`, `backoff`, `maxInterval`): with any, the engine does not learn. */
  readonly fixed: readonly string[];
}

/**
 * The pause before the next request for one job, from how the last one went,
 * on the fixed schedule.
 *
 * Long-poll APIs: after a change, ask again at once (the server holds the
 * request); after no change, wait out what is left of `interval` since the
 * last request started, so an answer that came back at once without waiting
 * does not turn into a busy loop.
 *
 * Plain polling: wait `interval` after a change, and `interval * backoff^n`
 * (at most `maxInterval`) after the n-th answer in a row without one (`quiet`).
 * Each pause ends on a grid of `interval / 4` on the scheduler's clock: every
 * job's backoff moves at its own pace, and without the grid, jobs created
 * together drift apart within a few polls and are no longer fetched in the
 * same requests.
 */
export function pauseBefore(
  longPoll: boolean,
  polling: ResolvedPolling,
  quiet: number,
  startedAt: number,
  now: number,
): number {
  if (longPoll) return quiet === 0 ? 0 : Math.max(0, polling.interval - (now - startedAt));
  const pause = Math.min(polling.maxInterval, polling.interval * polling.backoff ** quiet);
  const grid = polling.interval / 4;
  return grid > 0 ? Math.ceil((now + pause) / grid) * grid - now : pause;
}
