import type { PollingOptions } from '../client/ClientOptions.js';

/** Decides the pause before the next fetch of one job, from how the last one went. */
export type Pacer = (progressed: boolean, elapsed: number) => number;

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
 * row without one.
 */
export function createPacer(longPoll: boolean, polling: Required<PollingOptions>): Pacer {
  if (longPoll) return (progressed, elapsed) => (progressed ? 0 : Math.max(0, polling.interval - elapsed));
  let quiet = 0;
  return (progressed) => {
    quiet = progressed ? 0 : quiet + 1;
    return Math.min(polling.maxInterval, Math.round(polling.interval * polling.backoff ** quiet));
  };
}
