// The example in the JSDoc of scriptedTransport, run as written.
import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { aimlSuno, createClient } from '../../src/index.js';
import { jsonResponse, scriptedTransport, sunoClip } from '../../src/testing/index.js';

describe('scriptedTransport', () => {
  it('runs the example in its JSDoc', () => {
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
