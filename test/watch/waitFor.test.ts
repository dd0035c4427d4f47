import { NEVER } from 'rxjs';
import { aimlLuma, aimlSuno, createClient, isClipstreamError, JobFailedError } from '../../src/index.js';
import { jsonResponse, lumaGeneration, scriptedTransport, sunoClip } from '../../src/testing/index.js';
import { testScheduler } from '../support/marbles.js';

// waitFor returns a Promise; virtual time drives the requests and timers, and the
// outcome is read after flush, once the microtasks have run.
async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  return promise.then((value) => ({ value }), (error: unknown) => ({ error }));
}

describe('waitFor', () => {
  it('asks for the target status directly and resolves with the job that reached it', async () => {
    const scheduler = testScheduler();
    let outcome!: Promise<{ value?: unknown; error?: unknown }>;
    const transport = scriptedTransport(({ index }) =>
      scheduler.createColdObservable('120s (r|)', { r: jsonResponse(sunoClip('a', index === 0 ? 'streaming' : 'complete')) }),
    );
    scheduler.run(() => {
      const client = createClient(aimlSuno({ apiKey: 'k-123456' }), { transport });
      outcome = settle(client.waitFor('a', 'complete'));
    });
    expect(await outcome).toEqual({ value: sunoClip('a', 'complete') });
    expect(transport.requests.map((request) => request.query.status)).toEqual([['completed'], ['completed']]);
  });

  it('resolves with a job past the target that is not a failure', async () => {
    const scheduler = testScheduler();
    let outcome!: Promise<{ value?: unknown; error?: unknown }>;
    const transport = scriptedTransport(() => scheduler.createColdObservable('10ms (r|)', { r: jsonResponse(sunoClip('a', 'complete')) }));
    scheduler.run(() => {
      outcome = settle(createClient(aimlSuno({ apiKey: 'k-123456' }), { transport }).waitFor('a', 'streaming'));
    });
    expect(await outcome).toEqual({ value: sunoClip('a', 'complete') });
  });

  it('rejects with a JobFailedError that carries the failed job and its reason', async () => {
    const scheduler = testScheduler();
    let outcome!: Promise<{ value?: unknown; error?: unknown }>;
    const failed = lumaGeneration('g1', 'failed', { failure_reason: 'content policy' });
    const transport = scriptedTransport(() => scheduler.createColdObservable('10ms (r|)', { r: jsonResponse(failed) }));
    scheduler.run(() => {
      outcome = settle(createClient(aimlLuma({ apiKey: 'k-123456' }), { transport }).waitFor('g1', 'completed'));
    });
    const { error } = await outcome;
    expect(error).toBeInstanceOf(JobFailedError);
    expect(isClipstreamError(error, 'JobFailedError') && error).toMatchObject({
      message: 'job "g1" ended with status "failed" before reaching "completed": content policy',
      id: 'g1',
      status: 'failed',
      target: 'completed',
      job: failed,
    });
  });

  it('rejects with a WatchTimeoutError at its deadline and with an AbortError on abort', async () => {
    const scheduler = testScheduler();
    const controller = new AbortController();
    let timedOut!: Promise<{ value?: unknown; error?: unknown }>;
    let aborted!: Promise<{ value?: unknown; error?: unknown }>;
    scheduler.run(({ cold }) => {
      const client = createClient(aimlSuno({ apiKey: 'k-123456' }), { transport: scriptedTransport(() => NEVER) });
      timedOut = settle(client.waitFor('a', 'complete', { timeout: 5000 }));
      aborted = settle(client.waitFor('b', 'complete', { signal: controller.signal }));
      cold('10ms x').subscribe(() => controller.abort());
    });
    expect((await timedOut).error).toMatchObject({
      name: 'WatchTimeoutError',
      message: 'no result within 5000 ms for job "a" (no answer yet)',
    });
    expect((await aborted).error).toMatchObject({ name: 'AbortError', message: 'wait for "b" was aborted' });
  });
});
