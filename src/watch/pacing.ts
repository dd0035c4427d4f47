import type { PollingOptions } from '../client/ClientOptions.js';

/** Decides the pause before the next fetch of one job, from how the last one went. */
export type Pacer = (progressed: boolean, startedAt: number, now: number) => number;

/**
 * A fresh pacer for one watch.
 *
 * Long-poll APIs: after a change, ask again at once (the server holds the
 * request); after no change, wait out what is left of `interval` since the
 * last request started, so an answer that came back at once without waiting
 * does not turn into a busy loop.
 *
 * Plain polling (sunoapi.com): wait `interval` after a change, and
 * `interval * backoff^n` (at most `maxInterval`) after the n-th answer in a
 * row without one. Each pause ends on a grid of `interval / 4` on the
 * scheduler's clock: every job's backoff moves at its own pace, and without
 * the grid, jobs created together drift apart within a few polls and are no
 * longer fetched in the same requests.
 */
export function createPacer(longPoll: boolean, polling: Required<PollingOptions>): Pacer {
  if (longPoll) return (progressed, startedAt, now) => (progressed ? 0 : Math.max(0, polling.interval - (now - startedAt)));
  let quiet = 0;
  const grid = polling.interval / 4;
  return (progressed, _startedAt, now) => {
    quiet = progressed ? 0 : quiet + 1;
    const pause = Math.min(polling.maxInterval, polling.interval * polling.backoff ** quiet);
    return grid > 0 ? Math.ceil((now + pause) / grid) * grid - now : pause;
  };
}
