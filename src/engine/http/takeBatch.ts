import type { QueueNode } from '../../internal/Queue.js';

/** What a batch is taken from: a question for one job, which may have to be asked alone. */
export interface BatchCandidate {
  readonly id: string;
  /** An id that broke a batch (an unknown id, a refusal) is asked on its own. */
  readonly alone: boolean;
}

/**
 * One request's worth of questions, walking a queue from `first`, oldest
 * first: every question of up to `maxBatchSize` distinct ids that `fits`
 * one URL, the questions of an id already taken joining it. A question
 * `eligible` skips is passed over; one it stops at ends the walk. A
 * question to be asked alone is taken only when nothing else is yet, and
 * then alone. The queue is left as it is.
 *
 * `fits` is asked once for the longest batch first, and per id only when
 * that one does not fit: so it must hold for every prefix of a set it holds
 * for (a URL grows with its ids), and `eligible` must have no side effects
 * (a node may be looked at twice).
 */
export function takeBatch<H extends BatchCandidate>(
  first: QueueNode<H> | undefined,
  limits: { readonly maxBatchSize: number; fits(ids: readonly string[]): boolean },
  eligible: (handle: H) => 'take' | 'skip' | 'stop' = () => 'take',
): H[] {
  // URLs grow with their ids, so when the longest batch fits every shorter one does: one check for the common case.
  const greedy = walk(first, limits.maxBatchSize, () => true, eligible);
  if (greedy.ids.length <= 1 || limits.fits(greedy.ids)) return greedy.batch;
  return walk(first, limits.maxBatchSize, limits.fits, eligible).batch;
}

function walk<H extends BatchCandidate>(
  first: QueueNode<H> | undefined,
  maxBatchSize: number,
  fits: (ids: readonly string[]) => boolean,
  eligible: (handle: H) => 'take' | 'skip' | 'stop',
): { ids: string[]; batch: H[] } {
  const ids: string[] = [];
  const batch: H[] = [];
  for (let node = first; node !== undefined; node = node.next) {
    const handle = node.value;
    const verdict = eligible(handle);
    if (verdict === 'stop') break;
    if (verdict === 'skip') continue;
    if (handle.alone) {
      if (batch.length > 0) continue;
      batch.push(handle);
      break;
    }
    if (!ids.includes(handle.id)) {
      if (ids.length >= maxBatchSize) break;
      if (ids.length > 0 && !fits([...ids, handle.id])) break;
      ids.push(handle.id);
    }
    batch.push(handle);
  }
  return { ids, batch };
}
