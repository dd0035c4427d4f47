import { lastValueFrom } from 'rxjs';
import { aimlSuno, createClient } from '../../src/index.js';
import { jsonResponse, scriptedTransport, textResponse } from '../../src/testing/index.js';
import type { HttpResponse } from '../../src/index.js';

// A server may echo the key it was sent: in a 401 message, a proxy's debug page,
// a field of a broken job. No error may carry it, nor any piece of it.
const apiKey = 'sk-live/0123456789+abcdefghijklmnopqrstuv';
const windows = Array.from({ length: apiKey.length - 7 }, (_, start) => apiKey.slice(start, start + 8));

async function errorFor(response: HttpResponse): Promise<Error & { body?: unknown; lines?: unknown }> {
  const client = createClient(aimlSuno({ apiKey }), { transport: scriptedTransport(() => response), retry: 0 });
  return lastValueFrom(client.watch('a')).then(
    () => {
      throw new Error('expected the watch to fail');
    },
    (error: Error) => error,
  );
}

function expectNoPieceOfTheKey(error: Error & { body?: unknown; lines?: unknown }) {
  const everything = [error.message, JSON.stringify(error.body) ?? '', JSON.stringify(error.lines) ?? '', String(error.cause ?? '')].join('\n');
  expect(windows.filter((piece) => everything.includes(piece))).toEqual([]);
}

describe('the API key is redacted from every error, before anything is cut short', () => {
  it('in a 200 body that is not JSON, where the quoted start of the body ends inside the key', async () => {
    const page = `Bearer ${apiKey}\n<html>${'x'.repeat(2000)}</html>`;
    const error = await errorFor(textResponse(page));
    expect(error).toMatchObject({ name: 'NetworkError', reason: 'body' });
    expectNoPieceOfTheKey(error);
  });

  it('in a JSON error body that escapes "/" as "\\/"', async () => {
    const body = `{"message":"invalid key ${apiKey.replace(/\//g, '\\/')}"}`;
    const error = await errorFor(textResponse(body, { status: 401 }));
    expect(error).toMatchObject({ name: 'HttpError', status: 401, message: expect.stringContaining('invalid key [redacted]') });
    expect(error.body).toEqual({ message: 'invalid key [redacted]' });
    expectNoPieceOfTheKey(error);
  });

  it('in a text error body', async () => {
    const error = await errorFor(textResponse(`denied for ${apiKey}`, { status: 403 }));
    expect(error.body).toBe('denied for [redacted]');
    expectNoPieceOfTheKey(error);
  });

  it('in the lines of a DecodeError, where a long value is cut inside the key', async () => {
    const error = await errorFor(jsonResponse({ id: 'a', status: `${'y'.repeat(60)}${apiKey}${'y'.repeat(100)}` }));
    expect(error).toMatchObject({ name: 'DecodeError' });
    expect(String(error.lines)).toContain('/status: expected');
    expectNoPieceOfTheKey(error);
  });

  it('in an envelope that is not one, and in the ids an answer lists', async () => {
    expectNoPieceOfTheKey(await errorFor(jsonResponse({ clips: `${'z'.repeat(60)}${apiKey}${'z'.repeat(100)}` })));
    expectNoPieceOfTheKey(await errorFor(jsonResponse([{ id: `${apiKey}`, status: 'queued' }])));
  });
});
