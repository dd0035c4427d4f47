// The one batch-taking loop of the request scheduler (long-poll queues and
// snapshot sweeps), as fast-check properties over any queue.
import fc from 'fast-check';
import { Queue } from '../../../src/internal/Queue.js';
import { takeBatch } from '../../../src/engine/http/takeBatch.js';

type Candidate = { id: string; alone: boolean; verdict: 'take' | 'skip' | 'stop'; index: number };

const queues = fc.array(
  fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), alone: fc.boolean(), verdict: fc.constantFrom('take', 'take', 'take', 'skip', 'stop') }),
  { maxLength: 30 },
);

describe('takeBatch', () => {
  it('takes, in queue order, at most maxBatchSize ids that fit, an id to be asked alone only alone, and nothing past a stop or skipped', () => {
    fc.assert(
      fc.property(queues, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 8 }), (given, maxBatchSize, urlRoom) => {
        const queue = new Queue<Candidate>();
        const candidates = given.map((candidate, index) => ({ ...candidate, index }));
        for (const candidate of candidates) queue.push(candidate);
        const fits = (ids: readonly string[]) => ids.length <= urlRoom;
        const batch = takeBatch(queue.firstNode(), { maxBatchSize, fits }, (candidate) => candidate.verdict);

        const stop = candidates.findIndex((candidate) => candidate.verdict === 'stop');
        const ids = [...new Set(batch.map((candidate) => candidate.id))];
        expect(batch.map((candidate) => candidate.index)).toEqual([...batch.map((candidate) => candidate.index)].sort((x, y) => x - y));
        for (const candidate of batch) {
          expect(candidate.verdict).toBe('take');
          if (stop >= 0) expect(candidate.index).toBeLessThan(stop);
        }
        expect(ids.length).toBeLessThanOrEqual(maxBatchSize);
        if (ids.length > 1) expect(fits(ids)).toBe(true);
        if (batch.some((candidate) => candidate.alone)) expect(batch).toHaveLength(1);
        // Something is taken whenever something could be: the first question to take, before any stop.
        const firstTakeable = candidates.find((candidate) => candidate.verdict === 'take' && (stop < 0 || candidate.index < stop));
        expect(batch.length > 0).toBe(firstTakeable !== undefined);
        // Every other question of an id taken, up to where the walk ended, joined it.
        if (batch.length > 0 && !batch[0]!.alone) {
          const last = batch.at(-1)!.index;
          const joined = candidates.filter((candidate) => candidate.index <= last && candidate.verdict === 'take' && !candidate.alone && ids.includes(candidate.id));
          expect(batch.map((candidate) => candidate.index)).toEqual(joined.map((candidate) => candidate.index));
        }
      }),
    );
  });

  it('checks a URL once when the longest batch fits, and takes what checking each id as it joins would', () => {
    fc.assert(
      fc.property(queues, fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 8 }), (given, maxBatchSize, urlRoom) => {
        const queue = new Queue<Candidate>();
        for (const [index, candidate] of given.entries()) queue.push({ ...candidate, index });
        const checked: number[] = [];
        const fits = (ids: readonly string[]) => (checked.push(ids.length), ids.length <= urlRoom);
        const batch = takeBatch(queue.firstNode(), { maxBatchSize, fits }, (candidate) => candidate.verdict);
        // The reference: each new id checked as it joins, the walk ending at the first that does not fit.
        const reference: Candidate[] = [];
        const ids: string[] = [];
        for (let node = queue.firstNode(); node !== undefined; node = node.next) {
          const candidate = node.value;
          if (candidate.verdict === 'stop') break;
          if (candidate.verdict === 'skip') continue;
          if (candidate.alone) {
            if (reference.length > 0) continue;
            reference.push(candidate);
            break;
          }
          if (!ids.includes(candidate.id)) {
            if (ids.length >= maxBatchSize || (ids.length > 0 && ids.length + 1 > urlRoom)) break;
            ids.push(candidate.id);
          }
          reference.push(candidate);
        }
        expect(batch.map((candidate) => candidate.index)).toEqual(reference.map((candidate) => candidate.index));
        // Where every batch fits, one check at most (none for a single id); otherwise one more per id tried.
        if (urlRoom >= maxBatchSize) expect(checked.length).toBe(ids.length > 1 ? 1 : 0);
        else expect(checked.length).toBeLessThanOrEqual(1 + maxBatchSize);
      }),
    );
  });
});
