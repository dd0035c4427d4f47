// Early polls in the request scheduler's books: a passive question whose
// learned poll is due soon rides in a snapshot that goes with room.
import fc from 'fast-check';
import { JobHandle, type RequestOwner } from '../../../src/engine/http/ledger.js';
import { QueueLedger } from '../../../src/engine/http/QueueLedger.js';

const owner: RequestOwner<unknown> = { ask: () => undefined, withdraw: () => undefined, close: () => undefined, answered: () => undefined, failed: () => undefined };
const sink = { answer: () => undefined, fail: () => undefined };

function setUp(maxBatchSize: number, urlRoom = Infinity) {
  const ledger = new QueueLedger<unknown>({ maxBatchSize, overflowInterval: 1_000, fits: (ids) => ids.length <= urlRoom });
  /** A watch's handle waiting out a pause, its poll allowed early from `from`. */
  const passive = (id: string, from: number) => {
    const handle = new JobHandle<unknown>(owner, id, sink);
    handle.asking = true;
    handle.wanted = 'queued';
    handle.wantedRank = 1;
    ledger.offerEarly(handle, from);
    return handle;
  };
  /** A job's own snapshot question, as the pump takes it. */
  const own = (id: string) => {
    const handle = new JobHandle<unknown>(owner, id, sink);
    handle.asking = true;
    return handle;
  };
  const backlog = () => (ledger as unknown as { early: { size: number } }).early.size;
  return { ledger, passive, own, backlog };
}

describe('early polls (QueueLedger.offerEarly, takeEarly)', () => {
  it('fills a snapshot with the polls allowed by now, earliest first, up to maxBatchSize ids, as snapshot questions', () => {
    const { ledger, passive, own } = setUp(3);
    const late = passive('late', 2_000);
    const second = passive('second', 900);
    const first = passive('first', 500);
    const sameJob = passive('mine', 100);
    const batch = [own('mine')];
    expect(ledger.takeEarly(batch, 1_000)).toBe(3);
    // Another watch of the batch's own job joins without taking a place; 'late' is not allowed yet.
    expect(batch.map((handle) => handle.id)).toEqual(['mine', 'mine', 'first', 'second']);
    for (const handle of [sameJob, first, second]) expect([handle.wanted, handle.wantedRank, handle.earlyFrom]).toEqual([undefined, -1, undefined]);
    expect(late.earlyFrom).toBe(2_000);
    // Once taken, a poll is not taken again.
    expect(ledger.takeEarly([own('other')], 1_000)).toBe(0);
    expect(ledger.takeEarly([own('other')], 2_000)).toBe(1);
  });

  it('takes nothing into a batch asked alone, past the URL room, or for a question that moved on', () => {
    const { ledger, passive, own } = setUp(6, 2);
    passive('a', 0);
    passive('b', 0);
    const alone = own('x');
    alone.alone = true;
    expect(ledger.takeEarly([alone], 10)).toBe(0);
    const batch = [own('x')];
    // Two ids fit one URL here.
    expect(ledger.takeEarly(batch, 10)).toBe(1);
    expect(batch.map((handle) => handle.id)).toEqual(['x', 'a']);

    const answered = passive('c', 0);
    ledger.dequeue(answered);
    const inFlight = passive('d', 0);
    inFlight.flight = {} as JobHandle<unknown>['flight'];
    const askedAgain = passive('e', 0);
    ledger.offerEarly(askedAgain, 50);
    const next = [own('y')];
    // 'b' is still waiting; 'c' was answered, 'd' is in a request, and 'e' may go only from 50.
    expect(ledger.takeEarly(next, 10)).toBe(1);
    expect(next.map((handle) => handle.id)).toEqual(['y', 'b']);
    expect(ledger.takeEarly([own('z')], 10)).toBe(0);
    expect(ledger.takeEarly([own('z')], 50)).toBe(1);
  });

  it('keeps its memory bounded by the questions still waiting, however often they ask again', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 2_000 }), (jobs, rounds) => {
        const { ledger, passive, backlog } = setUp(2);
        const handles = Array.from({ length: jobs }, (_, index) => passive(`job-${index}`, 1_000_000));
        for (let round = 0; round < rounds; round++) {
          const handle = handles[round % jobs]!;
          // As a watch does: its question answered or asked again (out of the books), then a new pause.
          ledger.dequeue(handle);
          ledger.offerEarly(handle, 1_000_000 + round);
          expect(backlog()).toBeLessThanOrEqual(2 * jobs + 65);
        }
      }),
      { numRuns: 25 },
    );
  });
});
