import { lastValueFrom, map, NEVER, queueScheduler, toArray } from 'rxjs';
import { aimlLuma, aimlSuno, createClient, sunoApi } from '../../src/index.js';
import {
  jsonResponse,
  lumaGeneration,
  scriptedTransport,
  sunoClip,
  type RecordedRequest,
} from '../../src/testing/index.js';
import type { RunHelpers } from 'rxjs/testing';
import type { HttpResponse } from '../../src/index.js';
import { testScheduler } from '../support/marbles.js';

const suno = aimlSuno({ apiKey: 'k-123456' });
const ids = (request: RecordedRequest) => request.query['clip_ids[]'] ?? request.query.clip_id ?? [];
const label = map((clip: { id: string; status: string }) => `${clip.id}:${clip.status}`);

/** Answers every request with each asked id at `status(id, index)`, after 10 virtual ms. */
function everyId(cold: RunHelpers['cold'], status: (id: string, index: number) => string | undefined) {
  return (request: RecordedRequest) => {
    const clips = ids(request).map((id) => ({ id, status: status(id, request.index) }));
    if (clips.some((clip) => clip.status === undefined)) return NEVER;
    return cold('10ms (r|)', { r: jsonResponse(clips.map((clip) => sunoClip(clip.id, clip.status!))) });
  };
}

describe('watchMany: batched requests', () => {
  it('sends at most 6 ids per request to the multi-id endpoint, the status once', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport(everyId(cold, () => 'complete'));
      const client = createClient(suno, { transport });
      const all = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
      expectObservable(client.watchMany(all).pipe(label)).toBe('10ms (abcdefgh|)', {
        a: 'a:complete', b: 'b:complete', c: 'c:complete', d: 'd:complete',
        e: 'e:complete', f: 'f:complete', g: 'g:complete', h: 'h:complete',
      });
      flush();
      expect(transport.requests.map((request) => request.url)).toEqual([
        'https://api.aimlapi.com/v2/generate/audio/suno-ai/clips?clip_ids%5B%5D=a&clip_ids%5B%5D=b&clip_ids%5B%5D=c&clip_ids%5B%5D=d&clip_ids%5B%5D=e&clip_ids%5B%5D=f&status=submitted',
        'https://api.aimlapi.com/v2/generate/audio/suno-ai/clips?clip_ids%5B%5D=g&clip_ids%5B%5D=h&status=submitted',
      ]);
    });
  });

  it('regroups ids by the status they wait for next', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      // a and b move together; c is already streaming at the first answer.
      const timeline: Record<string, string[]> = {
        a: ['queued', 'streaming', 'complete'],
        b: ['queued', 'streaming', 'complete'],
        c: ['streaming', 'complete'],
      };
      const transport = scriptedTransport(everyId(cold, (id) => timeline[id]!.shift()));
      const client = createClient(suno, { transport });
      expectObservable(client.watchMany(['a', 'b', 'c']).pipe(label)).toBe('10ms (abc) 5ms (def) 5ms (gh|)', {
        a: 'a:queued', b: 'b:queued', c: 'c:streaming',
        d: 'a:streaming', e: 'b:streaming', f: 'c:complete',
        g: 'a:complete', h: 'b:complete',
      });
      flush();
      expect(transport.requests.map((request) => `${ids(request).join('+')}@${request.query.status}`)).toEqual([
        'a+b+c@submitted',
        'a+b@streaming',
        'c@completed',
        'a+b@completed',
      ]);
    });
  });

  it('uses one request per id with maxBatchSize 1', () => {
    testScheduler().run(({ cold, flush }) => {
      const transport = scriptedTransport(everyId(cold, () => 'complete'));
      createClient(suno, { transport, maxBatchSize: 1 }).watchMany(['a', 'b']).subscribe();
      flush();
      expect(transport.requests.map((request) => request.path)).toEqual([
        '/v2/generate/audio/suno-ai/clip',
        '/v2/generate/audio/suno-ai/clip',
      ]);
    });
  });

  it('rejects a batch size above the API limit', () => {
    expect(() => createClient(suno, { maxBatchSize: 7 })).toThrow(
      'options.maxBatchSize: 7 is above what AI/ML API Suno allows per request (6)',
    );
  });

  it('splits a batch the server refuses with 404 into single requests, so only the unknown id fails', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport((request) =>
        ids(request).includes('nope')
          ? cold('10ms (r|)', { r: jsonResponse({ message: 'clip not found' }, { status: 404 }) })
          : cold('10ms (r|)', { r: jsonResponse(ids(request).map((id) => sunoClip(id, 'complete'))) }),
      );
      const client = createClient(suno, { transport });
      expectObservable(client.watch('a').pipe(label)).toBe('20ms (a|)', { a: 'a:complete' });
      expectObservable(client.watch('nope')).toBe('20ms #', undefined, {
        name: 'HttpError',
        message:
          'GET https://api.aimlapi.com/v2/generate/audio/suno-ai/clip?clip_id=nope&status=submitted answered HTTP 404: clip not found',
      });
      expectObservable(client.watch('b').pipe(label)).toBe('20ms (b|)', { b: 'b:complete' });
      flush();
      expect(transport.requests.map((request) => ids(request).join('+'))).toEqual(['a+nope+b', 'a', 'nope', 'b']);
    });
  });

  it('aborts a single request of a split batch as soon as its own watcher leaves', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const notFound = cold<HttpResponse>('10ms (r|)', { r: jsonResponse({ message: 'clip not found' }, { status: 404 }) });
      const singleA = cold<HttpResponse>('100ms (r|)', { r: jsonResponse(sunoClip('a', 'queued')) });
      const singleB = cold<HttpResponse>('100ms (r|)', { r: jsonResponse(sunoClip('b', 'queued')) });
      const transport = scriptedTransport((request) => (ids(request).length > 1 ? notFound : ids(request)[0] === 'a' ? singleA : singleB));
      const client = createClient(suno, { transport });
      expectObservable(client.watch('a'), '^ 50ms !').toBe('');
      expectObservable(client.watch('b').pipe(label), '^ 200ms !').toBe('110ms b', { b: 'b:queued' });
      expectSubscriptions(singleA.subscriptions).toBe('10ms ^ 40ms !');
      // b's own request runs to its answer, then b asks again (until the end of the test).
      expectSubscriptions(singleB.subscriptions).toBe(['10ms ^ 99ms !', '110ms ^ 90ms !']);
    });
  });

  it('fails only the watcher whose job does not decode; the others in the same answer go on', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const transport = scriptedTransport(() =>
        cold('10ms (r|)', { r: jsonResponse({ clips: [sunoClip('a', 'complete'), { id: 'b', status: 42 }] }) }),
      );
      const client = createClient(suno, { transport });
      expectObservable(client.watch('a').pipe(label)).toBe('10ms (a|)', { a: 'a:complete' });
      expectObservable(client.watch('b')).toBe('10ms #', undefined, {
        name: 'DecodeError',
        message: expect.stringContaining('unexpected job "b"\n  /clips/1/status: expected "submitted" |'),
      });
    });
  });

  it('sends an id watched twice once, and answers both watchers', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport(everyId(cold, () => 'complete'));
      const client = createClient(suno, { transport });
      expectObservable(client.watch('a').pipe(label)).toBe('10ms (a|)', { a: 'a:complete' });
      expectObservable(client.watch('a').pipe(label)).toBe('10ms (a|)', { a: 'a:complete' });
      flush();
      expect(transport.requests.map((request) => request.url)).toEqual([
        'https://api.aimlapi.com/v2/generate/audio/suno-ai/clip?clip_id=a&status=submitted',
      ]);
    });
  });

  it('keeps a shared request running while anyone waits on it, and aborts it when nobody does', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const answer = cold('100ms (r|)', { r: jsonResponse([sunoClip('a', 'queued'), sunoClip('b', 'queued')]) });
      const client = createClient(suno, { transport: scriptedTransport(() => answer) });
      expectObservable(client.watch('a'), '^ 30ms !').toBe('');
      expectObservable(client.watch('b'), '^ 60ms !').toBe('');
      expectSubscriptions(answer.subscriptions).toBe('^ 60ms !');
    });
  });

  it("watches the other jobs of a watchMany to their end when one fails, then errors with that job's error", () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const transport = scriptedTransport((request) =>
        ids(request)[0] === 'a'
          ? cold('100ms (r|)', { r: jsonResponse(sunoClip('a', request.index === 0 ? 'queued' : 'complete')) })
          : cold('10ms (r|)', { r: jsonResponse({ message: 'forbidden' }, { status: 403 }) }),
      );
      const client = createClient(suno, { transport, maxBatchSize: 1 });
      expectObservable(client.watchMany(['a', 'b']).pipe(label)).toBe(
        '100ms q 99ms (c#)',
        { q: 'a:queued', c: 'a:complete' },
        { name: 'HttpError', message: expect.stringContaining('clip_id=b&status=submitted answered HTTP 403: forbidden') },
      );
    });
  });

  it('names every unfinished job and its last status when the deadline passes', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const transport = scriptedTransport((request) =>
        request.index === 0 ? cold('10ms (r|)', { r: jsonResponse([sunoClip('a', 'complete'), sunoClip('b', 'queued')]) }) : NEVER,
      );
      const client = createClient(suno, { transport, maxBatchSize: 2 });
      expectObservable(client.watchMany(['a', 'b', 'c'], { timeout: 1000 }).pipe(label)).toBe(
        '10ms (ab) 986ms #',
        { a: 'a:complete', b: 'b:queued' },
        {
          name: 'WatchTimeoutError',
          message: 'no result within 1000 ms for jobs "b" (last status: queued), "c" (no answer yet)',
        },
      );
    });
  });
});

describe('sunoapi.com: plain polling', () => {
  const provider = sunoApi({ apiKey: 'k-123456' });

  it('polls two ids per request with a comma list, backing off while nothing changes', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const timeline: Record<string, string[]> = {
        a: ['queued', 'queued', 'queued', 'streaming', 'complete'],
        b: ['queued', 'queued', 'queued', 'streaming', 'complete'],
        c: ['complete'],
      };
      const transport = scriptedTransport((request) => {
        const asked = request.query.ids![0]!.split(',');
        return cold('10ms (r|)', { r: jsonResponse({ clips: asked.map((id) => sunoClip(id, timeline[id]!.shift()!)) }) });
      });
      const client = createClient(provider, { transport, polling: { interval: 1000, backoff: 2, maxInterval: 3000 } });
      // Pauses of 1000 after a change, 2000 and 3000 (capped) while still queued, each ending on
      // the 250 ms grid: requests at 0, 1250, 3500, 6750, 8000.
      expectObservable(client.watchMany(['a', 'b', 'c']).pipe(label)).toBe(
        '10ms (abc) 6745ms (de) 1246ms (fg|)',
        { a: 'a:queued', b: 'b:queued', c: 'c:complete', d: 'a:streaming', e: 'b:streaming', f: 'a:complete', g: 'b:complete' },
      );
      flush();
      expect(transport.requests.map((request) => request.url)).toEqual([
        'https://api.sunoapi.com/api/v2/suno/v3.5/clips?ids=a,b',
        'https://api.sunoapi.com/api/v2/suno/v3.5/clips?ids=c',
        'https://api.sunoapi.com/api/v2/suno/v3.5/clips?ids=a,b',
        'https://api.sunoapi.com/api/v2/suno/v3.5/clips?ids=a,b',
        'https://api.sunoapi.com/api/v2/suno/v3.5/clips?ids=a,b',
        'https://api.sunoapi.com/api/v2/suno/v3.5/clips?ids=a,b',
      ]);
      expect(transport.requests[0]!.headers).toEqual({ Authorization: 'Bearer k-123456' });
    });
  });

  it('aligns polls to a grid of interval / 4, so jobs watched a moment apart share requests', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport((request) => {
        const asked = request.query.ids![0]!.split(',');
        const status = request.index < 2 ? 'queued' : 'complete';
        return cold('10ms (r|)', { r: jsonResponse({ clips: asked.map((id) => sunoClip(id, status)) }) });
      });
      const client = createClient(provider, { transport, polling: 1000 });
      expectObservable(client.watch('a').pipe(label)).toBe('10ms a 1249ms (b|)', { a: 'a:queued', b: 'a:complete' });
      expectObservable(client.watch('b').pipe(label), '3ms ^').toBe('13ms a 1246ms (b|)', { a: 'b:queued', b: 'b:complete' });
      flush();
      expect(transport.requests.map((request) => `${request.query.ids}`)).toEqual(['a', 'b', 'a,b']);
    });
  });
});

describe('AI/ML API Luma', () => {
  const provider = aimlLuma({ apiKey: 'k-123456' });

  it('asks with both `state` and `status` (the seed names both), and batches generation_ids[]', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const states: Record<string, string[]> = { g1: ['queued', 'dreaming', 'completed'], g2: ['dreaming', 'failed'] };
      const transport = scriptedTransport((request) => {
        const asked = request.query['generation_ids[]'] ?? request.query.generation_id!;
        return cold('10ms (r|)', { r: jsonResponse({ generations: asked.map((id) => lumaGeneration(id, states[id]!.shift()!)) }) });
      });
      const client = createClient(provider, { transport });
      const labelled = client.watchMany(['g1', 'g2']).pipe(map((g) => `${g.id}:${g.state}`));
      expectObservable(labelled).toBe('10ms (ab) 6ms (cd) 6ms (e|)', {
        a: 'g1:queued', b: 'g2:dreaming', c: 'g1:dreaming', d: 'g2:failed', e: 'g1:completed',
      });
      flush();
      expect(transport.requests.map((request) => request.url.replace('https://api.aimlapi.com/v2/generate/video/luma-ai/', ''))).toEqual([
        'generations?generation_ids%5B%5D=g1&generation_ids%5B%5D=g2&state=queued&status=queued',
        'generation?generation_id=g1&state=dreaming&status=dreaming',
        'generation?generation_id=g2&state=completed&status=completed',
        'generation?generation_id=g1&state=completed&status=completed',
      ]);
    });
  });
});

describe('schedulers that run work at once', () => {
  it('keeps batching working with queueScheduler, watch after watch', async () => {
    const transport = scriptedTransport((request) =>
      Promise.resolve(jsonResponse(ids(request).map((id) => sunoClip(id, request.query.status![0] === 'submitted' ? 'queued' : 'complete')))),
    );
    const client = createClient(suno, { transport, scheduler: queueScheduler });
    for (const id of ['a', 'b', 'c']) {
      const statuses = await lastValueFrom(client.watch(id).pipe(map((clip) => clip.status), toArray()));
      expect(statuses).toEqual(['queued', 'complete']);
    }
    expect(transport.requests).toHaveLength(6);
  });
});
