// The learned polling policy as a pure function, and its sketches: unit
// examples, then fast-check properties of a job polled in virtual time.
import fc from 'fast-check';
import { DurationSketch } from '../../src/polling/DurationSketch.js';
import { nextPollIn, pollPoints, type PollingBudget } from '../../src/polling/learnedPolicy.js';
import { PollingLearner } from '../../src/polling/PollingLearner.js';

const budget: PollingBudget = { pollsPerStatus: 1.5, floor: 1_000, maxPause: 15_000 };
const learnedFrom = (durations: readonly number[], rate = 0.25) => {
  const sketch = new DurationSketch(rate);
  for (const ms of durations) sketch.add(ms);
  return sketch;
};

describe('DurationSketch', () => {
  it('reads quantiles of what it saw within a bucket (19 %)', () => {
    const sketch = new DurationSketch(1);
    for (let index = 1; index <= 1_000; index++) sketch.add(1_000 + index * 9, 1 / index); // uniform 1–10 s, exactly
    for (const [p, expected] of [[0.1, 1_900], [0.5, 5_500], [0.9, 9_100]] as const) {
      expect(Math.abs(sketch.quantile(p) - expected) / expected).toBeLessThan(0.19);
    }
  });

  it('starts from the prior, which has no say after four durations', () => {
    const sketch = new DurationSketch(0.25).seed(30_000, 120_000);
    expect(sketch.priorShare).toBe(1);
    expect(sketch.quantile(0.5)).toBeGreaterThan(30_000);
    for (let index = 0; index < 4; index++) sketch.add(5_000);
    expect(sketch.priorShare).toBe(0);
    expect(sketch.quantile(0.98)).toBeLessThan(6_000);
  });

  it('follows a shift within a few durations', () => {
    const sketch = learnedFrom(Array.from({ length: 50 }, () => 5_000));
    for (let index = 0; index < 5; index++) sketch.add(10_000);
    expect(sketch.quantile(0.5)).toBeGreaterThan(8_500);
  });

  it('ignores durations that are not', () => {
    const sketch = new DurationSketch(0.25);
    for (const ms of [Number.NaN, -1, Infinity]) sketch.add(ms);
    expect(sketch.empty).toBe(true);
    expect(sketch.observed).toBe(0);
  });
});

describe('nextPollIn', () => {
  // 4–6 s, as an exact histogram (each duration 1/n of the weight).
  const known = new DurationSketch(0.25);
  for (let index = 1; index <= 40; index++) known.add(4_000 + index * 50, 1 / index);

  it('polls at the points of the learned durations, equal shares of the jobs between them', () => {
    const points = pollPoints(known, budget);
    expect(points).toHaveLength(2);
    expect(points[0]).toBeGreaterThan(4_000);
    expect(points[0]).toBeLessThan(5_500);
    expect(points[1]).toBeGreaterThan(5_500);
    expect(points[1]).toBeLessThan(7_200);
    expect(nextPollIn({ inStatusFor: 0, sinceLastPoll: 0, durations: known, budget })).toBeCloseTo(points[0]!, 6);
    expect(nextPollIn({ inStatusFor: points[0]!, sinceLastPoll: 0, durations: known, budget })).toBeCloseTo(points[1]! - points[0]!, 6);
  });

  it('keeps the floor after the last poll', () => {
    expect(nextPollIn({ inStatusFor: 4_900, sinceLastPoll: 200, durations: known, budget })).toBeGreaterThanOrEqual(800);
  });

  it('past every point, goes on at the spacing of the last points, growing by a quarter of the time past them, at most a quarter of the time in status, up to maxPause', () => {
    const [first, last] = pollPoints(known, budget) as [number, number];
    // Just past the last point: the spacing the points had (about 1 s here), not a quarter of the 6 s in status.
    expect(nextPollIn({ inStatusFor: last + 100, sinceLastPoll: 1_000, durations: known, budget })).toBeCloseTo(last - first + 25, 6);
    expect(nextPollIn({ inStatusFor: 12_000, sinceLastPoll: 5_000, durations: known, budget })).toBeCloseTo(last - first + (12_000 - last) / 4, 6);
    expect(nextPollIn({ inStatusFor: 40_000, sinceLastPoll: 5_000, durations: known, budget })).toBeCloseTo(last - first + (40_000 - last) / 4, 6);
    // One point (spacing from 0 to it): a quarter of the time in status, as points far apart give.
    expect(nextPollIn({ inStatusFor: 20_000, sinceLastPoll: 5_000, durations: known, budget: { ...budget, pollsPerStatus: 1 } })).toBe(5_000);
    expect(nextPollIn({ inStatusFor: 600_000, sinceLastPoll: 5_000, durations: known, budget })).toBe(15_000);
  });

  it('while the prior is a guess, grows from the floor however far its points are', () => {
    const guess = new DurationSketch(0.25).seed(30_000, 120_000);
    expect(nextPollIn({ inStatusFor: 0, sinceLastPoll: 0, durations: guess, budget })).toBe(1_000);
    expect(nextPollIn({ inStatusFor: 4_000, sinceLastPoll: 1_000, durations: guess, budget })).toBe(3_000);
  });

  it('plans nothing past the deadline, and polls at it when it is the next thing', () => {
    expect(nextPollIn({ inStatusFor: 0, sinceLastPoll: 0, durations: known, budget, untilDeadline: 2_000 })).toBe(2_000);
    expect(nextPollIn({ inStatusFor: 0, sinceLastPoll: 500, durations: known, budget, untilDeadline: 300 })).toBeUndefined();
  });
});

describe('PollingLearner', () => {
  it('keeps a sketch per status per model, at most 32 models', () => {
    const learner = new PollingLearner({ queued: [5_000, 60_000] }, { ...budget, learningRate: 0.25 });
    for (let model = 0; model < 100; model++) for (const status of ['queued', 'generating']) learner.record(`model-${model}`, status, 1_000);
    expect(learner.size).toBe(64);
    expect(learner.modelOf({ model: 'ray-2' })).toBe('ray-2');
    expect(learner.modelOf({ model: 'x'.repeat(101) })).toBe('');
    expect(learner.modelOf(null)).toBe('');
  });
});

describe('properties, a job polled in virtual time', () => {
  // A job's life: how long each of up to four statuses lasts; what was learned of other jobs; the budget.
  // Durations short and long: below the floor, around it, minutes.
  const duration = (max: number) => fc.oneof(fc.integer({ min: 0, max: 2_000 }), fc.integer({ min: 0, max }));
  const life = fc.array(duration(300_000), { minLength: 1, maxLength: 4 });
  // What was learned: all short (points behind the job soon, so the tail plans), or of every length.
  const learned = fc.oneof(fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 4, maxLength: 30 }), fc.array(duration(600_000), { maxLength: 30 }));
  const budgets = fc.record({
    pollsPerStatus: fc.double({ min: 1, max: 20, noNaN: true }),
    floor: fc.integer({ min: 10, max: 5_000 }),
    maxPause: fc.integer({ min: 5_000, max: 60_000 }),
  });

  /** Polls the job from its creation as a watch does (entry estimated at the midpoint of the polls around it) until it ends or the deadline. */
  function pollTimes(durations: readonly number[], seen: readonly number[], plan: PollingBudget, deadline: number | undefined) {
    const learner = new PollingLearner({ s0: [1_000, 60_000], s1: [1_000, 60_000] }, { ...plan, learningRate: 0.25 });
    for (const ms of seen) learner.record('', 's1', ms);
    const ends = durations.reduce<number[]>((at, ms) => [...at, (at.at(-1) ?? 0) + ms], []);
    const statusAt = (time: number) => ends.filter((end) => end <= time).length;
    const polls = [0];
    let status = statusAt(0);
    let enteredAt = 0;
    let lastSeen = 0;
    while (status < durations.length && polls.length < 10_000) {
      const now = polls.at(-1)!;
      const pause = learner.nextPause('', `s${status}`, now - enteredAt, 0, deadline === undefined ? undefined : deadline - now);
      if (pause === undefined) break;
      const next = now + pause;
      const reached = statusAt(next);
      if (reached > status) {
        enteredAt = (lastSeen + next) / 2;
        status = reached;
      }
      lastSeen = next;
      polls.push(next);
    }
    return { polls, ended: status === durations.length, sketches: learner.size };
  }

  it('never polls twice closer than the floor, nor after the deadline, and keeps its memory bounded', () => {
    fc.assert(
      fc.property(life, learned, budgets, fc.option(fc.integer({ min: 1, max: 900_000 }), { nil: undefined }), (durations, seen, plan, deadline) => {
        const { polls, sketches } = pollTimes(durations, seen, plan, deadline);
        for (let index = 1; index < polls.length; index++) expect(polls[index]! - polls[index - 1]!).toBeGreaterThanOrEqual(plan.floor - 1e-6);
        if (deadline !== undefined) expect(Math.max(...polls)).toBeLessThanOrEqual(deadline + 1e-6);
        expect(sketches).toBeLessThanOrEqual(5);
      }),
    );
  });

  it('reaches the last status of every job without a deadline, within maxPause of its end', () => {
    fc.assert(
      fc.property(life, learned, budgets, (durations, seen, plan) => {
        const { polls, ended } = pollTimes(durations, seen, plan, undefined);
        expect(ended).toBe(true);
        const end = durations.reduce((sum, ms) => sum + ms, 0);
        expect(polls.at(-1)! - end).toBeLessThanOrEqual(Math.max(plan.maxPause, plan.floor) + 1e-6);
      }),
    );
  });
});
