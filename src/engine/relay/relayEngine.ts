import { concat, NEVER, of } from 'rxjs';
import type { ClientEngine, EngineContext, EngineFactory } from '../ClientEngine.js';
import { ConfigError } from '../../errors/ConfigError.js';
import { isClipstreamError } from '../../errors/isClipstreamError.js';
import { NetworkError } from '../../errors/NetworkError.js';
import type { StreamingFetch } from '../../transport/FetchLike.js';
import { defaultReconnect, jsonOf, refusedBy, type ReconnectPolicy } from './EventStream.js';
import { RelayConnection } from './RelayConnection.js';

/**
 * The engine of a relay client: one event stream for every watch of the
 * client (see RelayConnection), creates as one POST each. The relay holds
 * the key, paces the API and retries; the page has no governor to show
 * (`health$` stays `ok`) and no retries of its own to tell of.
 */
export function relayEngine(
  baseUrl: string,
  api: string,
  decode: (id: string, job: unknown) => { job: unknown } | { error: Error },
  reconnect: ReconnectPolicy = defaultReconnect,
): EngineFactory {
  // The relay paces the API, retries and stores; a page's client only streams (fetch, scheduler) and creates (snapshotTimeout).
  const honours = ['fetch', 'maxResponseBytes', 'scheduler', 'snapshotTimeout', 'transport'];
  return Object.assign(<J>({ provider, options, rank, rankOf }: EngineContext<J>): ClientEngine<J> => {
    if (options.transport !== undefined) {
      throw new ConfigError('options.transport', 'a relay client streams events with fetch: give options.fetch, not a transport');
    }
    const fetch: StreamingFetch = (options.fetch as StreamingFetch | undefined) ?? ((url, init) => globalThis.fetch(url, init));
    const connection = new RelayConnection<J>(baseUrl, api, {
      scheduler: options.scheduler,
      rank,
      rankOf,
      fetch,
      decode: decode as (id: string, job: unknown) => { job: J } | { error: Error },
      reconnect,
    });
    return {
      // The relay pushes each transition as its upstream watch sees it: a question waits for its answer.
      canWait: true,
      open: (id, sink) => connection.open(id, sink),
      create: (request, sink) => {
        const abort = new AbortController();
        const info = { method: request.method, url: request.url, attempt: 1 };
        // The relay answers a create at once (it holds no long-poll): past snapshotTimeout, it is not coming.
        let timedOut = false;
        const timer = options.scheduler.schedule(() => {
          timedOut = true;
          abort.abort();
        }, options.snapshotTimeout);
        const init = { method: request.method, headers: { ...request.headers }, body: request.body, signal: abort.signal, redirect: 'manual' as const };
        fetch(request.url, init)
          .then(async (response) => {
            const text = await response.text();
            if (text.length > options.maxResponseBytes) throw new NetworkError(info, 'too-large', `the answer is larger than ${options.maxResponseBytes} bytes`);
            const body = jsonOf(text);
            if (response.status < 200 || response.status > 299) throw refusedBy(info, response.status, body);
            // A 2xx body that is not JSON has no ids: createdIds says so.
            return provider.createdIds(body, `${request.method} ${request.url}`);
          })
          .then(
            (ids) => {
              timer.unsubscribe();
              sink.answer(ids);
            },
            (error: unknown) => {
              timer.unsubscribe();
              if (timedOut) return sink.fail(new NetworkError(info, 'timeout', `the relay did not answer within ${options.snapshotTimeout} ms`));
              if (abort.signal.aborted) return;
              // Our own errors (a refusal, an answer without ids, too large) as they are; fetch's own, as the network's.
              sink.fail(isClipstreamError(error) ? error : new NetworkError(info, 'connection', 'the relay could not be reached'));
            },
          );
        return {
          cancel: () => {
            timer.unsubscribe();
            abort.abort();
          },
        };
      },
      news: () => {
        throw new ConfigError('ingest', 'a relay client gets its jobs from the relay; ingest pushed jobs on the server');
      },
      // The relay paces the API: the page has no pause of its own to show. Never completes, as health$ promises.
      health$: concat(of({ state: 'ok' } as const), NEVER),
      retries$: NEVER,
    };
  }, { honours });
}
