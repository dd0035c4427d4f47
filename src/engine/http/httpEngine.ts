import { Subject } from 'rxjs';
import { ConfigError } from '../../errors/ConfigError.js';
import { HttpError, type RequestInfo } from '../../errors/HttpError.js';
import { isClipstreamError } from '../../errors/isClipstreamError.js';
import { DeadlineQueue } from './DeadlineQueue.js';
import { startExchange, type ExchangeContext, type RetryEvent } from './exchange.js';
import { Governor } from './Governor.js';
import { readJsonResponse } from './readJsonResponse.js';
import { redactDeep } from '../../internal/redact.js';
import { FetchScheduler } from './FetchScheduler.js';
import { fetchTransport } from '../../transport/fetchTransport.js';
import type { HttpRequest, HttpResponse } from '../../transport/Transport.js';
import type { ClientEngine, EngineContext, EngineProvider, RetryNotice } from '../ClientEngine.js';
import { PollingLearner } from '../../polling/PollingLearner.js';
import { resolveLearning } from '../../polling/learningOptions.js';

/** Longest request URL sent: servers refuse longer ones (431, 414) for every id of the batch. */
const maxUrlLength = 4096;

/** A create is retried only when the server said it did nothing: rate limited, or unavailable. */
const createRetryable = (error: Error) => isClipstreamError(error, 'HttpError') && (error.status === 429 || error.status === 503);

/**
 * The engine of every HTTP API: one request scheduler per client (batching,
 * the connection budget), one rate-limit governor, and an exchange per
 * request (timeouts, retries, reading the answer). See docs/watching.md.
 */
export function httpEngine<J>({ provider, options, rank, rankOf }: EngineContext<J>): ClientEngine<J> {
  const { scheduler } = options;
  const canWait = provider.longPollTimeout !== undefined;
  // Learned polling's options are checked here, at createClient, where a relay client (which does not poll) never looks.
  const learning = resolveLearning(options.polling, canWait);
  const now = () => scheduler.now();
  // With a store, one process's 429 or 503 pauses every process's requests to the API (and shows in each health$).
  const share = options.store?.sharePauses(provider.name, (status, retryAfter) => governor.pauseFor(status, retryAfter));
  const governor = new Governor(scheduler, options.retry.maxRetryAfter, options.retry.random, share);
  const exchangeContext: ExchangeContext = {
    transport: options.transport ?? fetchTransport({ ...(options.fetch ? { fetch: options.fetch } : {}), maxResponseBytes: options.maxResponseBytes }),
    scheduler,
    retry: options.retry,
    governor,
    deadlines: new DeadlineQueue(scheduler),
    redact: provider.redact,
  };
  const createContext: ExchangeContext = { ...exchangeContext, retryable: createRetryable };
  const retries = new Subject<RetryNotice>();

  /** The JSON of a 2xx answer, or the error it amounts to (an error carried in the body included). */
  const readBody = (response: HttpResponse, info: RequestInfo): unknown => {
    const body = readJsonResponse(response, info, provider.redact, now);
    const reported = provider.bodyError(body);
    if (reported) {
      throw new HttpError({ request: info, status: reported.status, body: redactDeep(body, provider.redact), detail: provider.redact(reported.message).slice(0, 300) });
    }
    return body;
  };

  const fetchScheduler = new FetchScheduler<J>({
    scheduler,
    maxConnections: options.maxConnections,
    maxBatchSize: options.maxBatchSize,
    overflowInterval: options.overflowInterval,
    send: (ids, wanted, sink) => {
      let request: HttpRequest;
      try {
        request = provider.fetchRequest(ids, wanted);
      } catch (error) {
        // A provider's URL that cannot be built (an id no URL can hold) fails its watches, never the process.
        sink.fail(requestBuildError(provider, error));
        return { cancel: () => undefined };
      }
      const timeout = canWait && wanted !== undefined ? options.requestTimeout : options.snapshotTimeout;
      const interpret = (response: HttpResponse, info: RequestInfo) => provider.decode(readBody(response, info), ids, `${info.method} ${info.url}`, rank);
      // Retries are told only to those listening: a context per request costs an object.
      const context = retries.observed
        ? { ...exchangeContext, onRetry: ({ error, request: { attempt }, delay }: RetryEvent) => retries.next({ ids, error, attempt, delay }) }
        : exchangeContext;
      return startExchange(context, request, timeout, interpret, sink);
    },
    rank,
    rankOf,
    splitOn: (error) => isClipstreamError(error, 'HttpError') && provider.isUnknownId(error),
    // Servers refuse long URLs (431, 414) for every id of the batch: a batch is split to stay under 4 KB.
    // A request that cannot be built does not fit: the id goes alone, and its send reports why.
    fits: (ids, wanted) => {
      try {
        return provider.fetchRequest(ids, wanted).url.length <= maxUrlLength;
      } catch {
        return false;
      }
    },
  });

  return {
    canWait,
    open: (id, sink) => fetchScheduler.open(id, sink),
    create: (request, sink) => {
      const interpret = (response: HttpResponse, info: RequestInfo) => provider.createdIds(readBody(response, info), `${info.method} ${info.url}`);
      return fetchScheduler.run<string[]>((inner) => startExchange(createContext, request, options.snapshotTimeout, interpret, inner), sink);
    },
    news: (id, job) => fetchScheduler.news(id, job),
    health$: governor.health$,
    retries$: retries.asObservable(),
    learner: learning === undefined ? undefined : new PollingLearner(provider.typicalDurations ?? {}, learning),
  };
}

/** Why a provider could not build a request: a `ConfigError` naming the provider, its text redacted. */
function requestBuildError(provider: EngineProvider, error: unknown): ConfigError {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ConfigError(`${provider.name}.fetchRequest`, `could not build the request: ${provider.redact(reason).slice(0, 300)}`);
}

