import { randomHex } from '../internal/randomHex.js';
import type { JobStore } from './JobStore.js';

/** A pause one client was asked for (a 429 or 503 with `Retry-After`), as the store's signal carries it. */
interface PauseSignal {
  readonly type: 'pause';
  readonly api: string;
  /** The client that was asked: it does not pause again for its own signal. */
  readonly origin: string;
  readonly status: number;
  readonly retryAfter: number;
}

/**
 * `JobStore.sharePauses` on a store's signals: each pause a client of `api`
 * reports goes to every other client of `api` on the store, in any process.
 */
export function sharePauses(store: Pick<JobStore, 'signal' | 'onSignal'>, api: string, onPause: (status: number, retryAfter: number) => void): (status: number, retryAfter: number) => void {
  const origin = randomHex(8);
  void store
    .onSignal((message) => {
      const pause = message as Partial<PauseSignal> | null;
      if (pause?.type !== 'pause' || pause.api !== api || pause.origin === origin) return;
      if ((pause.status === 429 || pause.status === 503) && typeof pause.retryAfter === 'number' && pause.retryAfter >= 0) onPause(pause.status, pause.retryAfter);
    })
    // A store that cannot be reached shares nothing: each process keeps its own governor.
    .catch(() => undefined);
  return (status, retryAfter) => {
    const signal: PauseSignal = { type: 'pause', api, origin, status, retryAfter };
    void store.signal(signal).catch(() => undefined);
  };
}
