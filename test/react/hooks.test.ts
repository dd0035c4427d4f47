/**
 * @jest-environment ./test/support/jsdomEnvironment.js
 */
// clipstream/react with @testing-library/react: a job's transitions reach the
// component, unmount and id change end the watch, strict mode's double
// effects leave one watch, and useJobs follows several, each on its own.
import { act, render, renderHook } from '@testing-library/react';
import { StrictMode, createElement, type ReactNode } from 'react';
import { VirtualTimeScheduler } from 'rxjs';
import { aimlSuno, createClient } from '../../src/index.js';
import { Simulation, simulatedTransport } from '../../src/simulator/index.js';
import { useJob, useJobs } from '../../src/react/index.js';

const life = [['submitted', 0], ['queued', 1_000], ['streaming', 3_000], ['complete', 6_000]] as const;

function setUp(jobs: Array<{ id: string; timeline?: ReadonlyArray<readonly [string, number]> }>) {
  const scheduler = new VirtualTimeScheduler();
  const simulation = new Simulation({ scheduler, jobs: jobs.map(({ id, timeline = life }) => ({ id, api: 'aiml-suno' as const, timeline: timeline.map(([s, t]) => [s, t] as [string, number]) })) });
  const client = createClient(aimlSuno({ apiKey: simulation.apiKey, baseUrl: 'https://simulator.invalid' }), { transport: simulatedTransport(simulation), scheduler });
  // Runs virtual time up to `ms` inside act(), so React renders what it brought.
  const advance = (ms: number) =>
    act(() => {
      scheduler.maxFrames = scheduler.now() + ms;
      scheduler.flush();
    });
  const open = () => simulation.stats().open;
  return { client, simulation, advance, open };
}

const strict = ({ children }: { children: ReactNode }) => createElement(StrictMode, null, children);

describe('useJob', () => {
  it('renders each transition, then done, and keeps every status in history', () => {
    const { client, advance } = setUp([{ id: 'a' }]);
    const { result } = renderHook(() => useJob(client, 'a'));
    advance(0);
    expect(result.current.status).toBe('submitted');
    advance(1_500);
    expect(result.current.status).toBe('queued');
    advance(10_000);
    expect(result.current).toMatchObject({ status: 'complete', done: true, error: undefined, history: ['submitted', 'queued', 'streaming', 'complete'] });
    expect(result.current.job?.id).toBe('a');
  });

  it('ends the watch on unmount: no request stays open', () => {
    const { client, advance, open } = setUp([{ id: 'a' }]);
    const { unmount, result } = renderHook(() => useJob(client, 'a'));
    advance(1_500);
    expect(result.current.status).toBe('queued');
    expect(open()).toBe(1);
    unmount();
    expect(open()).toBe(0);
  });

  it('starts over on an id change, never showing the old job under the new id', () => {
    const { client, advance, open } = setUp([{ id: 'a' }, { id: 'b', timeline: [['queued', 0], ['streaming', 4_000], ['error', 4_500]] }]);
    const { result, rerender } = renderHook(({ id }) => useJob(client, id), { initialProps: { id: 'a' as string | undefined } });
    advance(3_500);
    expect(result.current.status).toBe('streaming');
    rerender({ id: 'b' });
    expect(result.current.job).toBeUndefined();
    expect(result.current.history).toEqual([]);
    advance(2_000);
    expect(result.current).toMatchObject({ status: 'error', done: true, history: ['queued', 'streaming', 'error'] });
    rerender({ id: undefined });
    expect(result.current).toMatchObject({ job: undefined, status: undefined, done: false });
    expect(open()).toBe(0);
  });

  it('under StrictMode (effects run twice) holds one watch and reports each status once', () => {
    const { client, advance, open } = setUp([{ id: 'a' }]);
    const { result } = renderHook(() => useJob(client, 'a'), { wrapper: strict });
    advance(1_500);
    expect(open()).toBe(1);
    advance(10_000);
    expect(result.current.history).toEqual(['submitted', 'queued', 'streaming', 'complete']);
  });

  it('reports a watch that cannot go on as error, and done', () => {
    const { client, advance } = setUp([]);
    const { result } = renderHook(() => useJob(client, 'bad id\u202e'));
    advance(0);
    expect(result.current.error).toMatchObject({ name: 'ConfigError' });
    expect(result.current.done).toBe(true);
  });

  it('mounts in a component tree and renders its text', () => {
    const { client, advance } = setUp([{ id: 'a' }]);
    function Clip({ id }: { id: string }) {
      const { status, history } = useJob(client, id);
      return createElement('p', null, `${status ?? '…'} (${history.join(' → ')})`);
    }
    const { container } = render(createElement(Clip, { id: 'a' }));
    expect(container.textContent).toBe('… ()');
    advance(10_000);
    expect(container.textContent).toBe('complete (submitted → queued → streaming → complete)');
  });
});

describe('useJobs', () => {
  it('follows several jobs, adds and removes ids, keeps the history of ids kept', () => {
    const { client, advance, open } = setUp([{ id: 'a' }, { id: 'b' }, { id: 'c', timeline: [['queued', 0]] }]);
    const { result, rerender } = renderHook(({ ids }) => useJobs(client, ids), { initialProps: { ids: ['a', 'b'] as readonly string[] } });
    advance(1_500);
    expect(result.current.map(({ id, status }) => [id, status])).toEqual([['a', 'queued'], ['b', 'queued']]);
    rerender({ ids: ['b', 'c'] });
    advance(100);
    expect(result.current.map(({ id, status, history }) => [id, status, history])).toEqual([
      ['b', 'queued', ['submitted', 'queued']],
      ['c', 'queued', ['queued']],
    ]);
    advance(10_000);
    expect(result.current.map(({ id, status, done }) => [id, status, done])).toEqual([['b', 'complete', true], ['c', 'queued', false]]);
    expect(open()).toBe(1);
  });

  it('a new array with the same ids restarts nothing; unmount ends every watch (also under StrictMode)', () => {
    const { client, advance, open, simulation } = setUp([{ id: 'a' }, { id: 'b' }]);
    const { result, rerender, unmount } = renderHook(({ ids }) => useJobs(client, ids), { initialProps: { ids: ['a', 'b'] }, wrapper: strict });
    advance(1_500);
    const before = simulation.requests().length;
    rerender({ ids: ['a', 'b'] });
    advance(0);
    expect(simulation.requests().length).toBe(before);
    expect(result.current.map(({ history }) => history)).toEqual([['submitted', 'queued'], ['submitted', 'queued']]);
    expect(open()).toBeGreaterThan(0);
    unmount();
    expect(open()).toBe(0);
  });
});
