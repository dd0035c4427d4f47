import { map } from 'rxjs';
import { aimlSuno, createClient, DecodeError } from '../../src/index.js';
import { jsonResponse, scriptedTransport, sunoClip, type RecordedRequest } from '../../src/testing/index.js';
import { testScheduler } from '../support/marbles.js';

const provider = aimlSuno({ apiKey: 'sk-partial-test-0123' });
const idsOf = (request: RecordedRequest) => request.query['clip_ids[]'] ?? request.query.clip_id ?? [];
const label = map((clip: { id: string; status: string }) => `${clip.id}:${clip.status}`);

describe('partial answers', () => {
  it('asks again, alone, for a job a multi-id answer left out, and goes on', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport((request) => {
        const ids = idsOf(request).filter((id) => !(request.index === 0 && id === 'b'));
        return cold('10ms (r|)', { r: jsonResponse(ids.map((id) => sunoClip(id, 'complete'))) });
      });
      const client = createClient(provider, { transport });
      expectObservable(client.watchMany(['a', 'b', 'c']).pipe(label)).toBe('10ms (ac) 6ms (b|)', { a: 'a:complete', c: 'c:complete', b: 'b:complete' });
      flush();
      expect(transport.requests.map((request) => idsOf(request).join('+'))).toEqual(['a+b+c', 'b']);
    });
  });

  it('fails only the watch of a job still missing when asked alone, naming it; the others run to their end', () => {
    testScheduler().run(({ cold, expectObservable, flush }) => {
      const transport = scriptedTransport((request) => {
        const ids = idsOf(request).filter((id) => id !== 'b');
        const status = request.index === 0 ? 'queued' : 'complete';
        return cold('10ms (r|)', { r: jsonResponse(ids.map((id) => sunoClip(id, status))) });
      });
      const client = createClient(provider, { transport });
      const url = 'https://api.aimlapi.com/v2/generate/audio/suno-ai/clip?clip_id=b&status=submitted';
      expectObservable(client.watchMany(['a', 'b', 'c']).pipe(label)).toBe(
        '10ms (ac) 6ms (xy#)',
        { a: 'a:queued', c: 'c:queued', x: 'a:complete', y: 'c:complete' },
        new DecodeError(`GET ${url}`, ['/: no job with id "b" in the answer (no asked-for id present)'], 'b'),
      );
      flush();
      expect(transport.requests.map((request) => idsOf(request).join('+'))).toEqual(['a+b+c', 'b', 'a+c']);
    });
  });

  it('takes the highest status when an answer holds a job twice, and ignores jobs nobody asked for', () => {
    testScheduler().run(({ cold, expectObservable }) => {
      const transport = scriptedTransport(() =>
        cold('10ms (r|)', { r: jsonResponse([sunoClip('a', 'queued'), sunoClip('x', 'complete'), sunoClip('a', 'complete'), sunoClip('a', 'streaming')]) }),
      );
      expectObservable(createClient(provider, { transport }).watch('a').pipe(label)).toBe('10ms (a|)', { a: 'a:complete' });
    });
  });
});

describe('request size', () => {
  it('refuses an id longer than 256 characters', () => {
    const client = createClient(provider);
    expect(() => client.watch('x'.repeat(257))).toThrow('id: the job id is 257 characters long; at most 256 are accepted');
    expect(() => client.watchMany(['a', 'y'.repeat(300)])).toThrow('ids[1]: the job id is 300 characters long');
  });

  it('splits a batch so that no request URL is over 4 KB', () => {
    testScheduler().run(({ cold, flush }) => {
      // "/" is sent as %2F: each of these ids takes 748 characters of URL, six of them over 4 KB.
      const ids = Array.from({ length: 6 }, (_, index) => `${index}${'/'.repeat(249)}`);
      const transport = scriptedTransport((request) => cold('10ms (r|)', { r: jsonResponse(idsOf(request).map((id) => sunoClip(id, 'complete'))) }));
      createClient(provider, { transport }).watchMany(ids).subscribe();
      flush();
      expect(transport.requests.map((request) => idsOf(request).length)).toEqual([5, 1]);
      expect(Math.max(...transport.requests.map((request) => request.url.length))).toBeLessThanOrEqual(4096);
    });
  });

  it('accepts ids with ":", "/" and "." and encodes them in the URL', () => {
    testScheduler().run(({ cold, flush }) => {
      const id = '7c880e75-9892-4238-8464-49cb0c6deabd:luma/ray-2.0';
      const transport = scriptedTransport((request) => cold('10ms (r|)', { r: jsonResponse(sunoClip(idsOf(request)[0]!, 'complete')) }));
      createClient(provider, { transport }).watch(id).subscribe();
      flush();
      expect(transport.requests[0]!.url).toBe(
        'https://api.aimlapi.com/v2/generate/audio/suno-ai/clip?clip_id=7c880e75-9892-4238-8464-49cb0c6deabd%3Aluma%2Fray-2.0&status=submitted',
      );
      expect(transport.requests[0]!.query.clip_id).toEqual([id]);
    });
  });
});
