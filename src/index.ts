/**
 * clipstream: AI generation jobs as RxJS Observables of their status transitions.
 * @packageDocumentation
 */
export { createClient } from './client/createClient.js';
export type { Client, WatchOptions, WaitOptions } from './client/createClient.js';
export type { ClientOptions, RetryOptions, PollingOptions } from './client/ClientOptions.js';

export { aimlSuno } from './providers/aimlSuno.js';
export type { SunoStatusAlias } from './providers/aimlSuno.js';
export { aimlLuma } from './providers/aimlLuma.js';
export { sunoApi } from './providers/sunoApi.js';
export type { Provider, ProviderConfig, ProviderName } from './providers/Provider.js';

export { sunoStatuses } from './status/sunoStatuses.js';
export type { SunoStatus } from './status/sunoStatuses.js';
export { lumaStatuses } from './status/lumaStatuses.js';
export type { LumaStatus } from './status/lumaStatuses.js';
export type { StatusModel, StatusName } from './status/StatusModel.js';

export { SunoClip } from './codecs/SunoClip.js';
export { SunoApiClip } from './codecs/SunoApiClip.js';
export { LumaGeneration } from './codecs/LumaGeneration.js';

export { atLeast, distinctTransitions, untilTerminal } from './operators/index.js';

export { fetchTransport } from './transport/fetchTransport.js';
export type { FetchLike } from './transport/fetchTransport.js';
export type { HttpRequest, HttpResponse, Transport } from './transport/Transport.js';

export { ClipstreamError } from './errors/ClipstreamError.js';
export type { ClipstreamErrorName } from './errors/ClipstreamError.js';
export { ConfigError } from './errors/ConfigError.js';
export { HttpError } from './errors/HttpError.js';
export { NetworkError } from './errors/NetworkError.js';
export type { NetworkErrorReason } from './errors/NetworkError.js';
export { DecodeError } from './errors/DecodeError.js';
export { WatchTimeoutError } from './errors/WatchTimeoutError.js';
export { AbortError } from './errors/AbortError.js';
export { JobFailedError } from './errors/JobFailedError.js';
export { isClipstreamError } from './errors/isClipstreamError.js';
