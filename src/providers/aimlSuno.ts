import { SunoClip } from '../codecs/SunoClip.js';
import { sunoStatuses, type SunoStatus } from '../status/sunoStatuses.js';
import { aimlFetchRequest } from './aimlFetchRequest.js';
import { checkProviderConfig, credentials, reasonOf } from './providerConfig.js';
import type { Provider, ProviderConfig } from './Provider.js';

/** Suno status aliases the AI/ML API uses (`completed`, `queue`). */
export type SunoStatusAlias = keyof typeof sunoStatuses.aliases;

/**
 * Suno clips through the AI/ML API.
 *
 * Fetches use the long-poll endpoints: `GET /v2/generate/audio/suno-ai/clip?clip_id=…&status=…`
 * for one clip, `GET /v2/generate/audio/suno-ai/clips?clip_ids[]=…&status=…` for up to 6.
 * The server answers once every clip is at or above `status`, or after 2 minutes
 * with the current statuses. It calls the completed status `completed` (the clip
 * object says `complete`); clipstream sends `completed` and accepts both.
 *
 * ## Example
 * ```ts
 * import { createClient, aimlSuno } from 'clipstream';
 *
 * const client = createClient(aimlSuno({ apiKey: process.env.AIMLAPI_KEY! }));
 * client.watch('755f9bbb-d99b-4880-992b-f05244ddba61').subscribe((clip) => console.log(clip.status));
 * // Output:
 * // queued
 * // streaming
 * // complete
 * ```
 *
 * @param config `apiKey` (required) and `baseUrl` (default `https://api.aimlapi.com`)
 */
export function aimlSuno(config: ProviderConfig): Provider<SunoClip, SunoStatus, SunoStatusAlias> {
  const { apiKey, baseUrl } = checkProviderConfig('aimlSuno', config, 'https://api.aimlapi.com');
  const { headers, redact } = credentials(apiKey, { 'Content-Type': 'application/json' });
  const request = aimlFetchRequest({ baseUrl, path: '/v2/generate/audio/suno-ai', noun: 'clip', waitParam: 'status' }, headers);
  return {
    name: 'aiml-suno',
    title: 'AI/ML API Suno',
    baseUrl,
    statuses: sunoStatuses,
    codec: SunoClip,
    maxBatchSize: 6,
    longPollTimeout: 120_000,
    // The API's name for the wait value of a finished clip is `completed`.
    fetchRequest: (ids, wanted) => request(ids, wanted === 'complete' ? 'completed' : wanted),
    headers,
    failureReason: (clip) => reasonOf((clip.metadata as { error_message?: unknown } | null | undefined)?.error_message),
    redact,
  };
}
