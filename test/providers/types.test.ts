import { of } from 'rxjs';
import { aimlLuma, aimlSuno, aimlVideo, createClient, relay, type Client, type JobOf, type StatusOf, type UnknownStatus, type WaitableOf } from '../../src/index.js';
import { jsonResponse, scriptedTransport, sunoClip } from '../../src/testing/index.js';

// Types checked by `tsc --noEmit` (npm test runs it first): a line under an
// expect-error directive fails the type check if it stops being an error.
type Suno = ReturnType<typeof aimlSuno>;

describe('types follow the provider', () => {
  it('gives Client<P> the job and status types of its provider, and waits only for statuses that can be waited for', async () => {
    const client: Client<Suno> = createClient(aimlSuno({ apiKey: 'sk-types-test-01' }), {
      transport: scriptedTransport(() => of(jsonResponse(sunoClip('a', 'complete')))),
    });
    const clip: JobOf<Suno> = await client.waitFor('a', 'completed');
    // A status of a later API version comes as sent: narrow before treating it as one of the model's.
    // @ts-expect-error statusOf may give a status the model does not know
    const narrow: StatusOf<Suno> = client.statusOf(clip);
    const status: StatusOf<Suno> | UnknownStatus = client.statusOf(clip);
    expect([status, narrow]).toEqual(['complete', 'complete']);
    // A relay client named by its API has the provider type of that API (RelayApis, derived from the registry).
    const relayed: ReturnType<typeof aimlLuma> = relay({ baseUrl: '/api/clipstream', api: 'aiml-luma' });
    // @ts-expect-error nor is it another API's
    const wrong: Suno = relay({ baseUrl: '/api/clipstream', api: 'aiml-luma' });
    expect([relayed.name, wrong.name]).toEqual(['aiml-luma', 'aiml-luma']);
    const waitable: WaitableOf<Suno>[] = ['submitted', 'queued', 'streaming', 'complete', 'completed', 'queue'];
    expect(waitable).toHaveLength(6);
    // @ts-expect-error a failure status cannot be waited for
    expect(() => client.watch('a', { until: 'error' })).toThrow('cannot wait for "error"');
    // @ts-expect-error nor is a Luma state a Suno status
    await expect(client.waitFor('a', 'dreaming')).rejects.toThrow('"dreaming" is not a Suno status');
    const luma = createClient(aimlLuma({ apiKey: 'sk-types-test-01' }));
    // @ts-expect-error failed is Luma's failure
    expect(() => luma.watch('g', { until: 'failed' })).toThrow('cannot wait for "failed"');
    const refusing = scriptedTransport(() => of(jsonResponse({ message: 'model is required', statusCode: 400 }, { status: 400 })));
    const video = createClient(aimlVideo({ apiKey: 'sk-types-test-01' }), { transport: refusing });
    // @ts-expect-error a video create needs a model
    await expect(video.create({ prompt: 'x' }).catch(() => 'refused')).resolves.toBe('refused');
  });
});
