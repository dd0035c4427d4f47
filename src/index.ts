/**
 * clipstream: AI generation jobs as RxJS Observables of their status transitions.
 * @packageDocumentation
 */
export { createClient } from './client/createClient.js';
export type { Client, WatchOptions, WaitOptions } from './client/Client.js';
export type { RetryNotice, ClientEngine, EngineContext, EngineFactory } from './engine/ClientEngine.js';
export type { ClientOptions } from './client/ClientOptions.js';
export type { RetryOptions } from './engine/http/retryPolicy.js';
export type { PollingOptions, LearnedPollingOptions } from './watch/pacing.js';
export type { BatchingPolicy, SchedulingOptions } from './engine/SchedulingOptions.js';
export type { ClientHealth } from './engine/http/Governor.js';

export { aimlSuno } from './providers/aimlSuno.js';
export type { SunoStatusAlias, AimlSunoCreate } from './providers/aimlSuno.js';
export { aimlLuma } from './providers/aimlLuma.js';
export type { AimlLumaCreate } from './providers/aimlLuma.js';
export { sunoApi } from './providers/sunoApi.js';
export type { SunoApiCreate } from './providers/sunoApi.js';
export { aimlVideo } from './providers/aimlVideo.js';
export type { AimlVideoCreate } from './providers/aimlVideo.js';
export { aimlAudio } from './providers/aimlAudio.js';
export type { AimlAudioCreate } from './providers/aimlAudio.js';
export { lumaLabs } from './providers/lumaLabs.js';
export type { LumaLabsCreate } from './providers/lumaLabs.js';
export { defineProvider } from './providers/defineProvider.js';
export type { ProviderSpec, ProviderFactory } from './providers/defineProvider.js';
export { query } from './providers/query.js';
export { relay } from './providers/relay.js';
export type { RelayConfig, RelayApis } from './providers/relay.js';
export type { ApiIdentity } from './providers/identities.js';
export type { Provider, ProviderConfig, ResultUrls, AnyProvider, JobOf, StatusOf, StatusNameOf, WaitableOf, CreateInputOf, StreamingFetch } from './providers/Provider.js';
export { envelope, tolerantEnvelope } from './codecs/envelope.js';
export { allOf } from './codecs/allOf.js';
export { nullable } from './codecs/nullable.js';
export type { Envelope } from './codecs/envelope.js';

export { sunoStatuses } from './status/sunoStatuses.js';
export type { SunoStatus } from './status/sunoStatuses.js';
export { lumaStatuses } from './status/lumaStatuses.js';
export type { LumaStatus } from './status/lumaStatuses.js';
export { aimlGenerationStatuses } from './status/aimlGenerationStatuses.js';
export type { AimlGenerationStatus } from './status/aimlGenerationStatuses.js';
export { defineStatusModel } from './status/StatusModel.js';
export type { StatusModel, StatusName, WaitableStatus } from './status/StatusModel.js';
export type { UnknownStatus } from './status/unknownStatus.js';

export { SunoClip } from './codecs/SunoClip.js';
export { SunoApiClip } from './codecs/SunoApiClip.js';
export { LumaGeneration } from './codecs/LumaGeneration.js';
export { AimlVideoGeneration, AimlAudioGeneration } from './codecs/AimlGeneration.js';

export { atLeast, distinctTransitions, untilTerminal } from './operators/index.js';

export { fetchTransport } from './transport/fetchTransport.js';
export type { FetchLike, FetchTransportOptions } from './transport/fetchTransport.js';
export { TransportError } from './transport/TransportError.js';
export type { TransportFailure } from './transport/TransportError.js';
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
// Stores are server-side: memoryStore and StoreError are in clipstream/store, so a page bundles none of them.
export type { JobStore, JobKey, StoredStatus, StoreNews } from './store/JobStore.js';
