// The examples of docs/testing.md, run as written (imports from the source
// instead of the package name).
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { aimlSuno, createClient, type Client } from '../../src/index.js';
import { jsonResponse, scriptedTransport, sunoClip } from '../../src/testing/index.js';

const progress = (client: Client<ReturnType<typeof aimlSuno>>, id: string) =>
  client.watch(id).pipe(map((clip) => `${clip.title}: ${client.statusOf(clip)}`));
const assertDeepEqual = (actual: unknown, expected: unknown) => expect(actual).toEqual(expected);

describe('docs/testing.md', () => {
  it('labels each transition', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      const answers = ['queued', 'streaming', 'streaming', 'complete'];
      // The server holds each long-poll: 1 s, 2 s, then a 2-minute timeout with no change, then 30 s.
      const delays = ['1s', '2s', '120s', '30s'];
      const transport = scriptedTransport(({ index }) =>
        cold(`${delays[index]} (r|)`, { r: jsonResponse(sunoClip('a', answers[index]!, { title: 'Starry' })) }),
      );
      const client = createClient(aimlSuno({ apiKey: 'test-key' }), { transport });

      expectObservable(progress(client, 'a')).toBe('1s a 1999ms b 149999ms (c|)', {
        a: 'Starry: queued',
        b: 'Starry: streaming',
        c: 'Starry: complete',
      });
    });
  });

  it('checks what was sent, and that it was aborted', () => {
    new TestScheduler(assertDeepEqual).run(({ cold, expectObservable, expectSubscriptions, flush }) => {
      const held = cold('120s (r|)', { r: jsonResponse(sunoClip('a', 'queued')) });
      const transport = scriptedTransport(() => held);
      const client = createClient(aimlSuno({ apiKey: 'test-key' }), { transport });

      expectObservable(client.watch('a'), '^ 10s !').toBe(''); // unsubscribe after 10 s
      expectSubscriptions(held.subscriptions).toBe('^ 10s !'); // the request was aborted then
      flush();
      expect(transport.requests[0]!.query).toEqual({ clip_id: ['a'], status: ['submitted'] });
    });
  });

  it('times retries exactly', () => {
    new TestScheduler(assertDeepEqual).run(({ cold, expectObservable }) => {
      const transport = scriptedTransport(({ index }) =>
        cold('10ms (r|)', { r: index < 2 ? jsonResponse({}, { status: 503 }) : jsonResponse(sunoClip('a', 'complete')) }),
      );
      const client = createClient(aimlSuno({ apiKey: 'test-key' }), { transport, retry: { random: () => 1, baseDelay: 100 } });
      // tries at 0, 110, 320: the clip arrives at 330
      expectObservable(client.watch('a').pipe(map((clip) => clip.status))).toBe('330ms (c|)', { c: 'complete' });
    });
  });

  it('runs the example in the JSDoc of scriptedTransport', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable }) => {
      const statuses = ['queued', 'streaming', 'complete'];
      const transport = scriptedTransport(({ index }) => cold('100ms (r|)', { r: jsonResponse(sunoClip('a', statuses[index]!)) }));
      const client = createClient(aimlSuno({ apiKey: 'test' }), { transport });
      expectObservable(client.watch('a').pipe(map((clip) => clip.status))).toBe('100ms q 99ms s 99ms (c|)', {
        q: 'queued',
        s: 'streaming',
        c: 'complete',
      });
    });
  });
});
