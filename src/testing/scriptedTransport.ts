import { defer, from, isObservable, type Observable, type ObservableInput, of } from 'rxjs';
import type { HttpRequest, HttpResponse, Transport } from '../transport/Transport.js';

/** A request the scripted transport received, with the query already split out. */
export interface RecordedRequest extends HttpRequest {
  /** 0 for the first request. */
  readonly index: number;
  /** The URL's path, e.g. `/v2/generate/audio/suno-ai/clips`. */
  readonly path: string;
  /** Every query value by name, in order: `{ 'clip_ids[]': ['a', 'b'], status: ['queued'] }`. */
  readonly query: Readonly<Record<string, readonly string[]>>;
}

/** What a script answers a request with: a response, or an Observable of one (e.g. a marble `cold`). */
export type ScriptedAnswer = HttpResponse | ObservableInput<HttpResponse>;

/** A transport that answers from a script, and keeps every request it got. */
export interface ScriptedTransport extends Transport {
  /** Every request, as sent: `headers` include `Authorization`, so use a test key, not a real one. */
  readonly requests: readonly RecordedRequest[];
}

/**
 * A {@link Transport} for tests: each request is answered by `script`, which
 * may return a response or an Observable of one. Return a `cold` Observable
 * from TestScheduler to answer after a virtual delay, `NEVER` to hang, or
 * `throwError` to fail the connection; use `expectSubscriptions` on it to
 * check that the request was aborted.
 *
 * ## Example
 * ```ts
 * import { createClient, aimlSuno } from 'clipstream';
 * import { scriptedTransport, jsonResponse, sunoClip } from 'clipstream/testing';
 * import { map } from 'rxjs';
 * import { TestScheduler } from 'rxjs/testing';
 *
 * new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable }) => {
 *   const statuses = ['queued', 'streaming', 'complete'];
 *   const transport = scriptedTransport(({ index }) =>
 *     cold('100ms (r|)', { r: jsonResponse(sunoClip('a', statuses[index]!)) }),
 *   );
 *   const client = createClient(aimlSuno({ apiKey: 'test' }), { transport });
 *   expectObservable(client.watch('a').pipe(map((clip) => clip.status))).toBe(
 *     '100ms q 99ms s 99ms (c|)',
 *     { q: 'queued', s: 'streaming', c: 'complete' },
 *   );
 * });
 * ```
 */
export function scriptedTransport(script: (request: RecordedRequest) => ScriptedAnswer): ScriptedTransport {
  const requests: RecordedRequest[] = [];
  return {
    requests,
    request: (request) =>
      defer((): Observable<HttpResponse> => {
        const url = new URL(request.url);
        const query: Record<string, string[]> = {};
        url.searchParams.forEach((value, name) => {
          (query[name] ??= []).push(value);
        });
        const recorded: RecordedRequest = { ...request, index: requests.length, path: url.pathname, query };
        requests.push(recorded);
        const answer = script(recorded);
        return isObservable(answer) || isObservableInput(answer) ? from(answer as ObservableInput<HttpResponse>) : of(answer as HttpResponse);
      }),
  };
}

function isObservableInput(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ('then' in value || Symbol.iterator in value || Symbol.asyncIterator in value);
}
