import { TransportError } from './TransportError.js';

/** The body of a fetch response, in whatever shape the fetch gives it. */
export interface BodySource {
  readonly body?: unknown;
  text(): Promise<string>;
}

interface WebReader {
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  cancel(reason?: unknown): Promise<void>;
}

/**
 * Reads a body as UTF-8 text, never holding more than `limit` bytes: the bytes
 * are counted as they arrive (after decompression, which fetch does as it
 * streams), and the stream is cancelled the moment they pass the limit, so a
 * gzip bomb costs at most `limit` bytes of memory.
 *
 * Web streams (browsers, undici) and Node streams (node-fetch) are read
 * incrementally; a fetch that exposes neither falls back to `text()`, and the
 * limit is checked after the fact.
 */
export async function readBody(response: BodySource, limit: number): Promise<string> {
  const body = response.body as { getReader?: () => WebReader; [Symbol.asyncIterator]?: unknown } | null | undefined;
  if (body && typeof body.getReader === 'function') return readWebStream(body.getReader(), limit);
  if (body && typeof body[Symbol.asyncIterator] === 'function') {
    return readChunks(body as AsyncIterable<Uint8Array | string>, limit, () => (body as { destroy?: () => void }).destroy?.());
  }
  const text = await response.text();
  if (byteLength(text) > limit) throw tooLarge(limit);
  return text;
}

async function readWebStream(reader: WebReader, limit: number): Promise<string> {
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    if (!value) continue;
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    text += decoder.decode(value, { stream: true });
  }
}

async function readChunks(chunks: AsyncIterable<Uint8Array | string>, limit: number, destroy: () => void): Promise<string> {
  const decoder = new TextDecoder();
  let size = 0;
  let text = '';
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    size += bytes.byteLength;
    if (size > limit) {
      destroy();
      throw tooLarge(limit);
    }
    text += decoder.decode(bytes, { stream: true });
  }
  return text + decoder.decode();
}

function tooLarge(limit: number): TransportError {
  return new TransportError('too-large', `the response is larger than maxResponseBytes (${limit} bytes); it was abandoned`);
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}
