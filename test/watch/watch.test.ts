import { map, NEVER, throwError } from 'rxjs';
import { aimlSuno, sunoApi, createClient, ConfigError, DecodeError, HttpError, NetworkError, WatchTimeoutError, AbortError } from '../../src/index.js';
import { jsonResponse, scriptedTransport, sunoClip, textResponse, type RecordedRequest } from '../../src/testing/index.js';
import type { RunHelpers } from 'rxjs/testing';
import type { HttpResponse } from '../../src/index.js';
import { testScheduler } from '../support/marbles.js';

const provider = aimlSuno({ apiKey: 'sk-test-123456' });
const statusOf = map((clip: { status: string }) => clip.status);
const letters = { u: 'submitted', q: 'queued', s: 'streaming', c: 'complete', e: 'error' } as const;
type Letter = keyof typeof letters;

/**
 * Answers request n with clip "a" at the status of `answers[n]`, after `delay`
 * virtual ms; the first request (a snapshot, which a server answers at once) after 10 ms.
 */
function clipScript(cold: RunHelpers['cold'], answers: string, delay = '10ms') {
  return ({ index }: RecordedRequest) => {
    const letter = answers[index] as Letter | undefined;
    if (letter === undefined) return NEVER;
    return cold(`${index === 0 ? '10ms' : delay} (r|)`, { r: jsonResponse(sunoClip('a', letters[letter])) });
  };
}
const asked = (requests: readonly RecordedRequest[]) => requests.map((request) => request.query.status?.[0]);

describe('watch: the expand chain of long-polls', () => {
  it('emits each new status, asking each time for the status after the last one seen', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport(clipScript(cold, 'qsc'));
      const client = createClient(provider, { transport });
      expectObservable(client.watch('a').pipe(statusOf)).toBe('10ms q 9ms s 9ms (c|)', letters);
      flush();
      expect(transport.requests.map((request) => request.url)).toEqual([
        'https://api.aimlapi.com/v2/generate/audio/suno-ai/clip?clip_id=a&status=submitted',
        'https://api.aimlapi.com/v2/generate/audio/suno-ai/clip?clip_id=a&status=streaming',
        'https://api.aimlapi.com/v2/generate/audio/suno-ai/clip?clip_id=a&status=completed',
      ]);
      expect(transport.requests[0]!.headers).toEqual({
        Authorization: 'Bearer sk-test-123456',
        'Content-Type': 'application/json',
      });
    });
  });

  it('emits the statuses the server skipped to, and nothing in between', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport(clipScript(cold, 'uc'));
      const client = createClient(provider, { transport });
      expectObservable(client.watch('a').pipe(statusOf)).toBe('10ms u 9ms (c|)', letters);
      flush();
      expect(asked(transport.requests)).toEqual(['submitted', 'queued']);
    });
  });

  it('re-polls silently when a long-poll ends at the server timeout with the same status', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport(clipScript(cold, 'qqqs', '120s'));
      const client = createClient(provider, { transport });
      expectObservable(client.watch('a').pipe(statusOf), '^ 500s !').toBe('10ms q 359999ms s', letters);
      flush();
      expect(asked(transport.requests)).toEqual(['submitted', 'streaming', 'streaming', 'streaming', 'completed']);
    });
  });

  it('spaces quiet answers by polling.interval when the server answers without waiting', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport(clipScript(cold, 'qqqs', '10ms'));
      const client = createClient(provider, { transport, polling: 1000 });
      // Requests start at 0, 10 (after a change), 1010 and 2010 (quiet answers, 1 s apart).
      expectObservable(client.watch('a').pipe(statusOf), '^ 5s !').toBe('10ms q 2009ms s', letters);
      flush();
      expect(transport.requests.map((request) => request.index)).toEqual([0, 1, 2, 3, 4]);
    });
  });

  it('ignores a server that answers with an older status, and asks again', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport(clipScript(cold, 'squc'));
      const client = createClient(provider, { transport, polling: 10 });
      expectObservable(client.watch('a').pipe(statusOf)).toBe('10ms s 29ms (c|)', letters);
      flush();
      expect(asked(transport.requests)).toEqual(['submitted', 'completed', 'completed', 'completed']);
    });
  });

  it('emits a failed clip as a value, completes, and sends nothing more', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport(clipScript(cold, 'qeqq'));
      const client = createClient(provider, { transport });
      expectObservable(client.watch('a').pipe(statusOf)).toBe('10ms q 9ms (e|)', letters);
      flush();
      expect(transport.requests).toHaveLength(2);
    });
  });

  it('completes after the first status at or above `until`, without another request', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport(clipScript(cold, 'qcc'));
      const client = createClient(provider, { transport });
      expectObservable(client.watch('a', { until: 'queued' }).pipe(statusOf)).toBe('10ms (q|)', letters);
      flush();
      expect(transport.requests).toHaveLength(1);
    });
  });

  it('treats a jump past `until` as reaching it', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const transport = scriptedTransport(clipScript(cold, 'qc'));
      const client = createClient(provider, { transport });
      expectObservable(client.watch('a', { until: 'streaming' }).pipe(statusOf)).toBe('10ms q 9ms (c|)', letters);
    });
  });

  it('accepts `completed` for `until` and sends it to the API', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport(clipScript(cold, 'sc'));
      const client = createClient(provider, { transport });
      expectObservable(client.watch('a', { until: 'completed' }).pipe(statusOf)).toBe('10ms s 9ms (c|)', letters);
      flush();
      expect(asked(transport.requests)).toEqual(['submitted', 'completed']);
    });
  });

  it('aborts the request in flight at once on unsubscribe and sends nothing more', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const first = cold('10ms (r|)', { r: jsonResponse(sunoClip('a', 'queued')) });
      const second = cold('120s (r|)', { r: jsonResponse(sunoClip('a', 'queued')) });
      const transport = scriptedTransport(({ index }) => (index === 0 ? first : second));
      const client = createClient(provider, { transport });
      expectObservable(client.watch('a').pipe(statusOf), '^ 49ms !').toBe('10ms q', letters);
      expectSubscriptions(second.subscriptions).toBe('10ms ^ 39ms !');
      flush();
      expect(transport.requests).toHaveLength(2);
    });
  });

  it('is cold: each subscription watches anew', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport(() => cold('10ms (r|)', { r: jsonResponse(sunoClip('a', 'complete')) }));
      const watch = createClient(provider, { transport }).watch('a').pipe(statusOf);
      expectObservable(watch).toBe('10ms (c|)', letters);
      expectObservable(watch, '50ms ^').toBe('60ms (c|)', letters);
      flush();
      expect(transport.requests).toHaveLength(2);
    });
  });
});

describe('watch: errors', () => {
  it('fails at once on 401 with an HttpError naming the URL, never the key', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport(() =>
        cold('5ms (r|)', { r: jsonResponse({ message: 'invalid key sk-test-123456' }, { status: 401 }) }),
      );
      const client = createClient(provider, { transport });
      const expected = new HttpError({
        request: { method: 'GET', url: 'https://api.aimlapi.com/v2/generate/audio/suno-ai/clip?clip_id=a&status=submitted', attempt: 1 },
        status: 401,
        body: null,
        detail: 'invalid key [redacted]',
      });
      expectObservable(client.watch('a')).toBe('5ms #', undefined, expected);
      flush();
      expect(transport.requests).toHaveLength(1);
      expect(expected.message).not.toContain('sk-test-123456');
    });
  });

  it('retries 503 with exponential backoff and full jitter, then goes on', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const unavailable = jsonResponse({ error: 'busy' }, { status: 503 });
      const transport = scriptedTransport(({ index }) =>
        index < 3 ? cold('10ms (r|)', { r: unavailable }) : cold('10ms (r|)', { r: jsonResponse(sunoClip('a', 'complete')) }),
      );
      const client = createClient(provider, { transport, retry: { random: () => 0.5, baseDelay: 100 } });
      // Tries at 0, 10+50, 70+100, 180+200: delays are half of 100, 200, 400.
      expectObservable(client.watch('a').pipe(statusOf)).toBe('390ms (c|)', letters);
      flush();
      expect(transport.requests).toHaveLength(4);
    });
  });

  it('honours Retry-After on 429, capped by maxRetryAfter', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const transport = scriptedTransport(({ index }) =>
        cold<HttpResponse>('10ms (r|)', {
          r: [
            jsonResponse({}, { status: 429, headers: { 'Retry-After': '2' } }),
            jsonResponse({}, { status: 429, headers: { 'Retry-After': '3600' } }),
            jsonResponse(sunoClip('a', 'complete')),
          ][index]!,
        }),
      );
      const client = createClient(provider, { transport, retry: { random: () => 0, maxRetryAfter: 5000 } });
      expectObservable(client.watch('a').pipe(statusOf)).toBe('7030ms (c|)', letters);
    });
  });

  it('falls back to normal backoff on a malformed Retry-After, and ignores it on 500', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const transport = scriptedTransport(({ index }) =>
        cold<HttpResponse>('10ms (r|)', {
          r: [
            jsonResponse({}, { status: 429, headers: { 'Retry-After': 'soon' } }),
            jsonResponse({}, { status: 500, headers: { 'Retry-After': '100' } }),
            jsonResponse(sunoClip('a', 'complete')),
          ][index]!,
        }),
      );
      const client = createClient(provider, { transport, retry: { random: () => 1, baseDelay: 100 } });
      expectObservable(client.watch('a').pipe(statusOf)).toBe('330ms (c|)', letters);
    });
  });

  it('retries every 5xx, not only the common ones, and no other 4xx', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const statuses = [520, 507, 501];
      const transport = scriptedTransport(({ index }) =>
        cold('10ms (r|)', { r: index < 3 ? jsonResponse({}, { status: statuses[index]! }) : jsonResponse(sunoClip('a', 'complete')) }),
      );
      const client = createClient(provider, { transport, retry: { random: () => 0 } });
      expectObservable(client.watch('a').pipe(statusOf)).toBe('40ms (c|)', letters);
      const refused = scriptedTransport(() => cold('10ms (r|)', { r: jsonResponse({}, { status: 422 }) }));
      expectObservable(createClient(provider, { transport: refused }).watch('a')).toBe('10ms #', undefined, {
        name: 'HttpError',
        message: expect.stringContaining('answered HTTP 422'),
      });
      flush();
      expect(refused.requests).toHaveLength(1);
    });
  });

  it('gives up after retry.limit retries with the last error', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport(() => cold('10ms (r|)', { r: jsonResponse({}, { status: 502 }) }));
      const client = createClient(provider, { transport, retry: { limit: 2, random: () => 1, baseDelay: 100 } });
      const url = 'https://api.aimlapi.com/v2/generate/audio/suno-ai/clip?clip_id=a&status=submitted';
      const expected = new HttpError({ request: { method: 'GET', url, attempt: 3 }, status: 502, body: {} });
      expectObservable(client.watch('a')).toBe('330ms #', undefined, expected);
      flush();
      expect(transport.requests).toHaveLength(3);
    });
  });

  it('retries a failed connection and a body that is not JSON', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const transport = scriptedTransport(({ index }) =>
        [
          cold<HttpResponse>('10ms #', undefined, new Error('socket hang up')),
          cold('10ms (r|)', { r: textResponse('{"id": "a", "sta') }),
          cold('10ms (r|)', { r: jsonResponse(sunoClip('a', 'complete')) }),
        ][index]!,
      );
      const client = createClient(provider, { transport, retry: { random: () => 0 } });
      expectObservable(client.watch('a').pipe(statusOf)).toBe('30ms (c|)', letters);
    });
  });

  it('times out a long-poll that gets no answer within requestTimeout, aborting it, and retries', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const hanging = cold<HttpResponse>('-');
      const transport = scriptedTransport(({ index }) =>
        index === 1 ? hanging : cold('10ms (r|)', { r: jsonResponse(sunoClip('a', index === 0 ? 'queued' : 'complete')) }),
      );
      const client = createClient(provider, { transport, retry: { random: () => 0 } });
      expectObservable(client.watch('a').pipe(statusOf)).toBe('10ms q 150009ms (c|)', letters);
      expectSubscriptions(hanging.subscriptions).toBe('10ms ^ 149999ms !');
    });
  });

  it('gives a first read, which the server answers at once, the short snapshotTimeout', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const hanging = cold<HttpResponse>('-');
      const transport = scriptedTransport(({ index }) =>
        index === 0 ? hanging : cold('10ms (r|)', { r: jsonResponse(sunoClip('a', 'complete')) }),
      );
      const client = createClient(provider, { transport, retry: { random: () => 0 } });
      expectObservable(client.watch('a').pipe(statusOf)).toBe('30010ms (c|)', letters);
      expectSubscriptions(hanging.subscriptions).toBe('^ 29999ms !');
    });
  });

  it('treats a transport that completes without a response as a failed connection, and retries', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const transport = scriptedTransport(({ index }) =>
        index === 0 ? cold<HttpResponse>('5ms |') : cold('5ms (r|)', { r: jsonResponse(sunoClip('a', 'complete')) }),
      );
      expectObservable(createClient(provider, { transport, retry: { random: () => 0 } }).watch('a').pipe(statusOf)).toBe('10ms (c|)', letters);
      const silent = scriptedTransport(() => cold<HttpResponse>('5ms |'));
      expectObservable(createClient(provider, { transport: silent, retry: 0 }).watch('a')).toBe('5ms #', undefined, {
        name: 'NetworkError',
        message: expect.stringContaining('failed: the transport completed without a response'),
      });
    });
  });

  it('names the error a request timeout is, when retries run out', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const transport = scriptedTransport(() => cold<HttpResponse>('-'));
      const client = createClient(provider, { transport, retry: 0, snapshotTimeout: 13_000 });
      const url = 'https://api.aimlapi.com/v2/generate/audio/suno-ai/clip?clip_id=a&status=submitted';
      const expected = new NetworkError({ method: 'GET', url, attempt: 1 }, 'timeout', 'no response within 13000 ms');
      expectObservable(client.watch('a')).toBe('13000ms #', undefined, expected);
    });
  });

  it('fails with a DecodeError holding the path lines, without retrying', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport(() =>
        cold('10ms (r|)', { r: jsonResponse({ id: 'a', status: 7, metadata: { duration: 'long' } }) }),
      );
      const client = createClient(provider, { transport });
      const url = 'https://api.aimlapi.com/v2/generate/audio/suno-ai/clip?clip_id=a&status=submitted';
      const expected = new DecodeError(
        `GET ${url}`,
        [
          '/status: expected "submitted" | "queued" | "streaming" | "complete" | "error" | "completed" | "queue" | (a status of a later API version) but got 7',
          '/metadata/duration: expected (number | numeric string | null) but got "long"',
        ],
        'a',
      );
      expectObservable(client.watch('a')).toBe('10ms #', undefined, expected);
      flush();
      expect(transport.requests).toHaveLength(1);
    });
  });

  it('accepts every documented envelope and rejects anything else', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const clip = sunoClip('a', 'complete');
      const bodies = [clip, [clip], { clips: [clip] }, { generations: [clip] }];
      bodies.forEach((body) => {
        const transport = scriptedTransport(() => cold('1ms (r|)', { r: jsonResponse(body) }));
        expectObservable(createClient(provider, { transport }).watch('a').pipe(statusOf)).toBe('1ms (c|)', letters);
      });
      const transport = scriptedTransport(() => cold('1ms (r|)', { r: jsonResponse({ data: 'nope' }) }));
      expectObservable(createClient(provider, { transport }).watch('a')).toBe('1ms #', undefined, {
        name: 'DecodeError',
        message: expect.stringContaining('/id: expected string but got nothing'),
      });
      const strings = scriptedTransport(() => cold('1ms (r|)', { r: jsonResponse('ok') }));
      expectObservable(createClient(provider, { transport: strings }).watch('a')).toBe('1ms #', undefined, {
        name: 'DecodeError',
        message: expect.stringContaining('expected a job, an array of jobs, {"clips": [...]} or {"generations": [...]} but got "ok"'),
      });
    });
  });

  it('says so when the answer does not contain the job asked for', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const transport = scriptedTransport(() => cold('1ms (r|)', { r: jsonResponse({ clips: [sunoClip('b', 'queued')] }) }));
      expectObservable(createClient(provider, { transport }).watch('a')).toBe('1ms #', undefined, {
        name: 'DecodeError',
        message: expect.stringContaining('/: no job with id "a" in the answer (no asked-for id present)'),
      });
    });
  });

  it('errors with a WatchTimeoutError at the deadline, aborting the long-poll', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold('10ms (r|)', { r: jsonResponse(sunoClip('a', 'queued')) });
      const second = cold('120s (r|)', { r: jsonResponse(sunoClip('a', 'queued')) });
      const transport = scriptedTransport(({ index }) => (index === 0 ? first : second));
      const client = createClient(provider, { transport });
      expectObservable(client.watch('a', { timeout: 60_000 }).pipe(statusOf)).toBe('10ms q 59989ms #', letters, {
        name: 'WatchTimeoutError',
        message: 'no result within 60000 ms for job "a" (last status: queued)',
      });
      expectSubscriptions(second.subscriptions).toBe('10ms ^ 59989ms !');
    });
  });

  it('errors with an AbortError when the signal aborts, aborting the request', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const controller = new AbortController();
      const response = cold('120s (r|)', { r: jsonResponse(sunoClip('a', 'queued')) });
      const client = createClient(provider, { transport: scriptedTransport(() => response) });
      cold('30ms a').subscribe(() => controller.abort(new Error('user left')));
      expectObservable(client.watch('a', { signal: controller.signal })).toBe('30ms #', undefined, new AbortError('watch of "a"', null));
      expectSubscriptions(response.subscriptions).toBe('^ 29ms !');
    });
  });

  it('sends nothing when the signal is already aborted', () => {
    testScheduler().run(({ expectObservable, flush }) => {
      const transport = scriptedTransport(() => throwError(() => new Error('must not be called')));
      const signal = AbortSignal.abort();
      expectObservable(createClient(provider, { transport }).watch('a', { signal })).toBe('#', undefined, {
        name: 'AbortError',
        message: 'watch of "a" was aborted',
      });
      flush();
      expect(transport.requests).toHaveLength(0);
    });
  });
});

describe('watch: input checked before any request', () => {
  const transport = scriptedTransport(() => throwError(() => new Error('must not be called')));
  const client = createClient(provider, { transport });

  it.each([
    ['a b', 'id: "a b" is not a job id: it holds U+0020 at position 2; ids are visible characters only'],
    ['a\u200bb', 'id: "a\u200bb" is not a job id: it holds U+200B at position 2; ids are visible characters only'],
    ['x'.repeat(257), 'id: the job id is 257 characters long; at most 256 are accepted'],
    ['', 'id: the job id is empty'],
    [42, 'id: expected a job id string, got 42'],
  ])('rejects the id %p', (id, message) => {
    expect(() => client.watch(id as string)).toThrow(new ConfigError('id', message.slice(4)));
  });

  it('rejects waiting for error, and statuses Suno does not have', () => {
    expect(() => client.watch('a', { until: 'error' as never })).toThrow(
      'options.until: cannot wait for "error": the API does not allow waiting for a failure status (it is reported when it happens); use one of submitted, queued, streaming, complete',
    );
    expect(() => client.watch('a', { until: 'dreaming' as never })).toThrow(
      'options.until: "dreaming" is not a Suno status; expected one of submitted, queued, streaming, complete, error (or completed, queue)',
    );
  });

  it('rejects bad options by name', () => {
    expect(() => createClient(provider, { polling: 0 })).toThrow('options.polling.interval: expected a finite number of at least 10, got 0');
    expect(() => createClient(provider, { retry: { limit: 1.5 } })).toThrow('options.retry.limit: expected a whole number, got 1.5');
    expect(() => createClient(provider, { retry: { baseDelay: NaN } })).toThrow('options.retry.baseDelay: expected a finite number of at least 0, got NaN');
    expect(() => createClient(provider, { polling: { interval: 5000, maxInterval: 1000 } })).toThrow(
      'options.polling.maxInterval: 1000 is below polling.interval (5000)',
    );
    expect(() => createClient(provider, { fetch: 'no' as never, transport })).toThrow('options.fetch: expected a function, got "no"');
    expect(() => createClient(provider, { reqestTimeout: 3 } as never)).toThrow('options.reqestTimeout: unknown option (did you mean "requestTimeout"?)');
    expect(() => client.watch('a', { timeout: -1 })).toThrow('options.timeout: expected a finite number of at least 1, got -1');
    expect(() => client.watch('a', { timeout: 2 ** 31 })).toThrow(
      'options.timeout: 2147483648 ms is longer than a timer can wait (at most 2147483647 ms, about 24.8 days); use Infinity for no limit',
    );
    expect(() => createClient(provider, { retry: { maxRetryAfter: 2 ** 31 } })).toThrow('options.retry.maxRetryAfter: 2147483648 ms is longer than a timer can wait');
    expect(() => createClient(provider, { requestTimeout: 2 ** 31 })).toThrow('options.requestTimeout: 2147483648 ms is longer than a timer can wait');
    expect(() => createClient(provider, { maxConnections: 0 })).toThrow('options.maxConnections: expected a finite number of at least 1, got 0');
    expect(() => createClient(provider, { batching: 'sometimes' as never })).toThrow(
      'options.batching: expected one of "together", "always", "never", got "sometimes"',
    );
    expect(() => client.watch('a', { since: 'complete' })).toThrow('options.since: "complete" is terminal: nothing follows it to watch for');
    expect(() => client.watch('a', { since: 'streaming', until: 'queued' })).toThrow(
      'options.since: "streaming" is already at or above until ("queued"): there is nothing to wait for',
    );
    expect(() => client.watch('a', { untill: 'complete' } as never)).toThrow('options.untill: unknown option (did you mean "until"?)');
    expect(() => client.watch('a', { signal: {} as AbortSignal })).toThrow('options.signal: expected an AbortSignal');
  });

  it('rejects empty, duplicate and bad id lists', () => {
    expect(() => client.watchMany([])).toThrow('ids: the list of job ids is empty');
    expect(() => client.watchMany(['a', 'b', 'a'])).toThrow('ids[2]: "a" is listed twice');
    expect(() => client.watchMany(['a', 'b\tc'])).toThrow('ids[1]: "b\\tc" is not a job id: it holds U+0009 at position 2');
    expect(() => createClient(sunoApi({ apiKey: 'sk-test-123456' })).watchMany(['a', 'b,c'])).toThrow(
      'ids[1]: "b,c" is not a job id here: sunoapi.com joins ids with commas, so an id cannot hold one',
    );
    expect(() => client.watchMany('a' as never)).toThrow('ids: expected an array of job ids, got "a"');
    // eslint-disable-next-line no-sparse-arrays
    expect(() => client.watchMany([, 'a'] as never)).toThrow('ids[0]: expected a job id string, got undefined');
  });

  it('rejects in waitFor with the same errors, as a rejected promise', async () => {
    await expect(client.waitFor('a', 'error' as never)).rejects.toThrow('status: cannot wait for "error"');
    await expect(client.waitFor('a b', 'complete')).rejects.toBeInstanceOf(ConfigError);
    expect(transport.requests).toHaveLength(0);
  });
});

describe('watch: timeouts are ordered', () => {
  it('uses a request timeout above the long-poll timeout of the API', () => {
    expect(() => createClient(provider, { requestTimeout: 60_000 })).toThrow(
      'options.requestTimeout: 60000 must be longer than the AI/ML API Suno long-poll timeout (120000 ms), or every quiet long-poll would time out',
    );
    testScheduler().run(({ cold, expectObservable }) => {
      const transport = scriptedTransport(() => cold<HttpResponse>('-'));
      const client = createClient(provider, { transport, retry: 0 });
      expectObservable(client.watch('a', { since: 'submitted' })).toBe('150000ms #', undefined, {
        name: 'NetworkError',
        message: expect.stringContaining('no response within 150000 ms'),
      });
    });
  });

  it('keeps WatchTimeoutError distinct from request timeouts', () => {
    const error = new WatchTimeoutError({ timeout: 5, pending: ['a'], lastSeen: new Map(), describe: (id) => `"${id}"` });
    expect(error).toMatchObject({ name: 'WatchTimeoutError', timeout: 5, pending: ['a'] });
  });
});

describe('watch: a status clipstream does not know (one a vendor added later)', () => {
  // q, s, c as above; m and r are statuses no model has, as a later API version might send them.
  const answers = { ...letters, m: 'moderating', r: 'reviewing' } as const;
  const script = (cold: RunHelpers['cold'], sequence: string) => ({ index }: RecordedRequest) => {
    const letter = sequence[index] as keyof typeof answers | undefined;
    if (letter === undefined) return NEVER;
    return cold('10ms (r|)', { r: jsonResponse({ ...sunoClip('a', 'queued'), status: answers[letter] }) });
  };

  it('is reported once, ranked just above the last known status, and the watch goes on to the end (long-poll)', () => {
    testScheduler().run(({ cold, flush }) => {
      // moderating twice, then reviewing (a second unknown one), then queued again, then streaming and complete.
      const transport = scriptedTransport(script(cold, 'qmmrqsc'));
      const client = createClient(provider, { transport });
      const seen: string[] = [];
      let completed = false;
      client.watch('a').subscribe({ next: (clip) => seen.push(client.statusOf(clip)), complete: () => (completed = true) });
      flush();
      expect(seen).toEqual(['queued', 'moderating', 'streaming', 'complete']);
      expect(completed).toBe(true);
      // Each ask after queued waits for streaming: the unknown status is no progress.
      expect(asked(transport.requests)).toEqual(['submitted', 'streaming', 'streaming', 'streaming', 'streaming', 'streaming', 'completed']);
    });
  });

  it('is reported the same on a polled API, but not as the first answer: before a known status its place is unknown', () => {
    testScheduler().run(({ cold, flush }) => {
      const transport = scriptedTransport(script(cold, 'mqsmc'));
      const client = createClient(sunoApi({ apiKey: 'sk-test-123456' }), { transport, polling: 1_000 });
      const seen: string[] = [];
      client.watch('a').subscribe((clip) => seen.push(client.statusOf(clip)));
      flush();
      expect(seen).toEqual(['queued', 'streaming', 'moderating', 'complete']);
    });
  });

  it('is not a status one can wait for: until and waitFor name it as a ConfigError', () => {
    const client = createClient(provider);
    expect(() => client.watch('a', { until: 'moderating' as never })).toThrow(ConfigError);
    expect(() => client.watch('a', { since: 'moderating' as never })).toThrow('"moderating" is not a Suno status');
  });
});
