import fc from 'fast-check';
import { lastValueFrom, Observable } from 'rxjs';
import { aimlLuma, aimlSuno, createClient, isClipstreamError, sunoApi, type FetchLike } from '../../src/index.js';
import { jsonResponse, lumaGeneration, scriptedTransport, sunoClip, textResponse } from '../../src/testing/index.js';
import { testScheduler } from '../support/marbles.js';
import { everywhere, keyEchoes } from '../support/keyLeaks.js';

const apiKey = 'sk-live/AbC+dEf=0123456789"quote\\back';

/** Which of the forms of the key (and their 12-character pieces) the text still holds. */
function leaks(text: string, key = apiKey): string[] {
  return keyEchoes(key).filter((form) => text.includes(form));
}

describe('the key at config time', () => {
  it.each([
    ['a zero-width space', `sk-abc\u200bdef0123`, 'a zero-width space at position 7 of 14'],
    ['a Cyrillic letter', 'sk-аbcdef0123', 'U+0430 at position 4 of 13'],
    ['a space', 'sk-abc def0123', 'a space at position 7 of 14'],
    ['a line break', 'sk-abc\ndef0123', 'a control character at position 7 of 14'],
  ])('refuses a key with %s, naming the field and the position, never the key', (_what, key, detail) => {
    let caught: unknown;
    try {
      aimlSuno({ apiKey: key });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: 'ConfigError', field: 'aimlSuno.apiKey', message: `aimlSuno.apiKey: the API key has ${detail}; a key is visible ASCII without spaces (was it pasted with something extra?)` });
    expect(everywhere(caught)).not.toContain(key);
  });

  it('reports a baseUrl that does not parse without its user and password', () => {
    let caught: unknown;
    try {
      sunoApi({ apiKey, baseUrl: 'https://admin:hunter2-secret@[not a host/' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: 'ConfigError', field: 'sunoApi.baseUrl' });
    expect(everywhere(caught)).not.toContain('hunter2');
    expect((caught as Error).message).toBe('sunoApi.baseUrl: "https://…@[not a host/" is not a URL');
  });
});

describe('the key in errors', () => {
  it('is redacted from a failed job a server echoes it into: message, reason, job, stack, JSON, inspect', async () => {
    const reason = `refused: ${keyEchoes(apiKey).join(' | ')}`;
    const scheduler = testScheduler();
    const error = await scheduler.run(async ({ cold }) => {
      const transport = scriptedTransport(() => cold('5ms (r|)', { r: jsonResponse(sunoClip('a', 'error', { metadata: { error_message: reason } })) }));
      const client = createClient(aimlSuno({ apiKey }), { transport });
      const result = client.waitFor('a', 'complete').catch((caught: unknown) => caught);
      scheduler.flush();
      return result;
    });
    expect(error).toMatchObject({ name: 'JobFailedError', id: 'a', status: 'error', reason: expect.stringContaining('refused: [redacted] | ') });
    expect(leaks(everywhere(error))).toEqual([]);
  });

  it('is redacted from a Luma failure_reason and the job a WatchTimeoutError keeps', async () => {
    const scheduler = testScheduler();
    const error = await scheduler.run(async ({ cold }) => {
      const transport = scriptedTransport(({ index }) =>
        index === 0 ? cold('5ms (r|)', { r: jsonResponse(lumaGeneration('g', 'queued', { request: { echo: apiKey } })) }) : cold('-'),
      );
      const client = createClient(aimlLuma({ apiKey }), { transport });
      const result = lastValueFrom(client.watchMany(['g'], { timeout: 1_000 })).catch((caught: unknown) => caught);
      scheduler.flush();
      return result;
    });
    expect(error).toMatchObject({ name: 'WatchTimeoutError', pending: ['g'] });
    expect(leaks(everywhere(error))).toEqual([]);
  });

  it('never reaches an error through what a fetch throws: message rewritten, cause dropped', async () => {
    const hostileFetch: FetchLike = () => {
      const cause = Object.assign(new Error(`socket to Bearer ${apiKey}`), { code: 'ECONNRESET' });
      return Promise.reject(new TypeError(`fetch failed for ${apiKey}`, { cause }));
    };
    const client = createClient(aimlSuno({ apiKey, baseUrl: 'http://127.0.0.1:9' }), { fetch: hostileFetch, retry: 0 });
    const error = await lastValueFrom(client.watch('a')).catch((caught: unknown) => caught);
    expect(isClipstreamError(error, 'NetworkError')).toBe(true);
    expect(error).toMatchObject({ reason: 'connection', attempt: 1 });
    expect((error as Error).cause).toBeUndefined();
    expect(leaks(everywhere(error))).toEqual([]);
  });

  it('leaves a one-letter test key alone in messages, and still redacts it after "Bearer "', async () => {
    const scheduler = testScheduler();
    const error = await scheduler.run(async ({ cold }) => {
      const transport = scriptedTransport(() => cold('5ms (r|)', { r: jsonResponse({ message: 'bad key: Bearer k; check your keyring' }, { status: 401 }) }));
      const result = lastValueFrom(createClient(aimlSuno({ apiKey: 'k' }), { transport }).watch('a')).catch((caught: unknown) => caught);
      scheduler.flush();
      return result;
    });
    expect(error).toMatchObject({ name: 'HttpError', status: 401, body: { message: 'bad key: [redacted]; check your keyring' } });
  });
});

describe('no piece of the key, where a text is cut short (a fast-check property)', () => {
  const keyArb = fc
    .string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)), minLength: 12, maxLength: 40 })
    .map((rest) => `sk-live-${rest}`);
  /** Any run of 6 or more characters of the key that the text holds. */
  const pieces = (text: string, key: string) => {
    const found: string[] = [];
    for (let start = 0; start + 6 <= key.length; start++) if (text.includes(key.slice(start, start + 6))) found.push(key.slice(start, start + 6));
    return found;
  };

  it('a body that is not JSON, with the key anywhere in it, gives an error holding no 6 characters of the key', async () => {
    await fc.assert(
      fc.asyncProperty(keyArb, fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), fc.nat({ max: 30 }), async (key, before, after, cut) => {
        // The key whole, or cut short by the server, inside a body JSON.parse refuses.
        const echoed = cut === 0 ? key : key.slice(0, Math.max(6, key.length - cut));
        const body = `{"detail": ${before}${echoed}${after}`;
        const client = createClient(sunoApi({ apiKey: key }), {
          transport: { request: () => new Observable((subscriber) => (subscriber.next(textResponse(body, { status: 200 })), subscriber.complete())) },
          retry: 0,
        });
        const error = await lastValueFrom(client.watch('job-1')).catch((caught: unknown) => caught);
        expect(isClipstreamError(error, 'NetworkError')).toBe(true);
        expect(pieces(everywhere(error), key).filter((piece) => !(before + after).includes(piece))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('a baseUrl that does not parse, holding the key, is echoed without it', () => {
    fc.assert(
      fc.property(keyArb, (key) => {
        let caught: unknown;
        try {
          sunoApi({ apiKey: key, baseUrl: `https://[bad host/${key}` });
        } catch (error) {
          caught = error;
        }
        expect(caught).toMatchObject({ name: 'ConfigError', field: 'sunoApi.baseUrl' });
        expect(pieces(everywhere(caught), key).filter((piece) => !'https://[bad host/'.includes(piece))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
