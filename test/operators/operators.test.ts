import { map } from 'rxjs';
import { atLeast, ConfigError, distinctTransitions, lumaStatuses, sunoStatuses, untilTerminal } from '../../src/index.js';
import { testScheduler } from '../support/marbles.js';

// Marble letters stand for clips of one id at these statuses.
const clips = {
  u: { id: 'a', status: 'submitted' },
  q: { id: 'a', status: 'queued' },
  Q: { id: 'a', status: 'queue' },
  s: { id: 'a', status: 'streaming' },
  c: { id: 'a', status: 'complete' },
  C: { id: 'a', status: 'completed' },
  e: { id: 'a', status: 'error' },
  // A status of a later API version: one the model does not know.
  x: { id: 'a', status: 'paused' },
  y: { id: 'a', status: 'moderating' },
  n: { id: 'a' } as { id: string; status: string },
};
const generations = {
  q: { id: 'g', state: 'queued' },
  d: { id: 'g', status: 'dreaming' },
  c: { id: 'g', state: 'completed' },
  f: { id: 'g', state: 'failed' },
};
const noStatus = {
  name: 'DecodeError',
  message: 'job: unexpected job "a"\n  /status: expected a Suno status (submitted, queued, streaming, complete, error) but got nothing',
};

describe('untilTerminal', () => {
  it('completes after the first terminal job, inclusive', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('--q--s--c--s--|', clips);
      expectObservable(source.pipe(untilTerminal(sunoStatuses))).toBe('--q--s--(c|)', clips);
      expectSubscriptions(source.subscriptions).toBe('^-------!');
    });
  });

  it('treats a failure as a terminal value, not an error', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-q-e-c|', clips).pipe(untilTerminal(sunoStatuses))).toBe('-q-(e|)', clips);
      expectObservable(cold('-q-f-c|', generations).pipe(untilTerminal(lumaStatuses))).toBe('-q-(f|)', generations);
    });
  });

  it('knows the alias `completed` as terminal', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-Q-C-s|', clips).pipe(untilTerminal(sunoStatuses))).toBe('-Q-(C|)', clips);
    });
  });

  it('passes through completion and errors of the source', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-q-s|', clips).pipe(untilTerminal(sunoStatuses))).toBe('-q-s|', clips);
      expectObservable(cold('-q-#', clips, new Error('boom')).pipe(untilTerminal(sunoStatuses))).toBe('-q-#', clips, new Error('boom'));
    });
  });

  it('goes on past a status the model does not know (never terminal), and errors with a DecodeError on a job with no status', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-q-x-c-s|', clips).pipe(untilTerminal(sunoStatuses))).toBe('-q-x-(c|)', clips);
      expectObservable(cold('-q-n-c|', clips).pipe(untilTerminal(sunoStatuses))).toBe('-q-#', clips, noStatus);
    });
  });

  it('allows early unsubscription', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('--q--s--c--|', clips);
      expectObservable(source.pipe(untilTerminal(sunoStatuses)), '^---!').toBe('--q-', clips);
      expectSubscriptions(source.subscriptions).toBe('^---!');
    });
  });

  it('rejects something that is not a status model when created', () => {
    let thrown: unknown;
    try {
      untilTerminal({} as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect(thrown).toMatchObject({ field: 'untilTerminal(model)', message: 'untilTerminal(model): expected a status model such as sunoStatuses or lumaStatuses' });
  });
});

describe('atLeast', () => {
  it('lets jobs through from the first at or above the status', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('--u--q--s--c--|', clips);
      expectObservable(source.pipe(atLeast(sunoStatuses, 'streaming'))).toBe('--------s--c--|', clips);
      expectSubscriptions(source.subscriptions).toBe('^-------------!');
    });
  });

  it('counts a jump past the status, and failures, as at least it', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-q-c|', clips).pipe(atLeast(sunoStatuses, 'streaming'))).toBe('---c|', clips);
      expectObservable(cold('-q-e|', clips).pipe(atLeast(sunoStatuses, 'streaming'))).toBe('---e|', clips);
      expectObservable(cold('-q-d-c|', generations).pipe(atLeast(lumaStatuses, 'dreaming'))).toBe('---d-c|', generations);
    });
  });

  it('keeps passing once open, as skipWhile does', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-s-q-c|', clips).pipe(atLeast(sunoStatuses, 'streaming'))).toBe('-s-q-c|', clips);
    });
  });

  it('accepts aliases for the status', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-s-C|', clips).pipe(atLeast(sunoStatuses, 'completed'))).toBe('---C|', clips);
    });
  });

  it('passes errors through; ranks a status the model does not know just above the last known one', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-q-#', clips).pipe(atLeast(sunoStatuses, 'queued'))).toBe('-q-#', clips);
      // After submitted, an unknown status is still below queued; after queued, it is at least queued.
      expectObservable(cold('-u-x-q-y|', clips).pipe(atLeast(sunoStatuses, 'queued'))).toBe('-----q-y|', clips);
      expectObservable(cold('-n|', clips).pipe(atLeast(sunoStatuses, 'queued'))).toBe('-#', clips, noStatus);
    });
  });

  it('allows early unsubscription', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('--q--s--c--|', clips);
      expectObservable(source.pipe(atLeast(sunoStatuses, 'streaming')), '^-------!').toBe('-----s--', clips);
      expectSubscriptions(source.subscriptions).toBe('^-------!');
    });
  });

  it('rejects a status the model does not have when created', () => {
    expect(() => atLeast(sunoStatuses, 'dreaming' as never)).toThrow(ConfigError);
    expect(() => atLeast(lumaStatuses, 'complete' as never)).toThrow(
      'atLeast: status: "complete" is not a Luma status; expected one of queued, dreaming, completed, failed',
    );
  });
});

describe('distinctTransitions', () => {
  it('drops repeated and backward statuses', () => {
    testScheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot('--q--q--s--q--c--c--|', clips);
      expectObservable(source.pipe(distinctTransitions(sunoStatuses))).toBe('--q-----s-----c-----|', clips);
      expectSubscriptions(source.subscriptions).toBe('^-------------------!');
    });
  });

  it('treats aliases as the same status', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-q-Q-c-C|', clips).pipe(distinctTransitions(sunoStatuses))).toBe('-q---c--|', clips);
    });
  });

  it('reads Luma states from `state` or `status`', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('-q-d-q-c|', generations).pipe(distinctTransitions(lumaStatuses))).toBe('-q-d---c|', generations);
    });
  });

  it('keeps state per subscription', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const distinct = cold('-q-s|', clips).pipe(distinctTransitions(sunoStatuses));
      expectObservable(distinct).toBe('-q-s|', clips);
      expectObservable(distinct).toBe('-q-s|', clips);
    });
  });

  it('passes errors through, lets a status the model does not know through once between two known ones, and allows early unsubscription', () => {
    testScheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      expectObservable(cold('-q-#', clips).pipe(distinctTransitions(sunoStatuses))).toBe('-q-#', clips);
      // x once after queued (y, a second unknown one, and queued again do not rise above it); streaming does.
      expectObservable(cold('-q-x-x-y-q-s-x-c|', clips).pipe(distinctTransitions(sunoStatuses))).toBe('-q-x-------s-x-c|', clips);
      expectObservable(cold('-n|', clips).pipe(distinctTransitions(sunoStatuses))).toBe('-#', clips, noStatus);
      const source = hot('--q--s--c--|', clips);
      expectObservable(source.pipe(distinctTransitions(sunoStatuses)), '^----!').toBe('--q--', clips);
      expectSubscriptions(source.subscriptions).toBe('^----!');
    });
  });

  it('composes into "tell me once it is at least streaming, then until done"', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const source = cold('-q-q-s-q-c-s|', clips);
      const composed = source.pipe(distinctTransitions(sunoStatuses), atLeast(sunoStatuses, 'streaming'), untilTerminal(sunoStatuses));
      expectObservable(composed.pipe(map((clip) => clip.status))).toBe('-----s---(c|)', { s: 'streaming', c: 'complete' });
    });
  });
});
