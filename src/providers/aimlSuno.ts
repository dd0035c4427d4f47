import { SunoClip } from '../codecs/SunoClip.js';
import { sunoStatuses, type SunoStatus } from '../status/sunoStatuses.js';
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
  return {
    name: 'aiml-suno',
    title: 'AI/ML API Suno',
    baseUrl,
    statuses: sunoStatuses,
    codec: SunoClip,
    maxBatchSize: 6,
    longPollTimeout: 120_000,
    fetchRequest(ids, wanted) {
      const query = new URLSearchParams();
      if (ids.length === 1) query.set('clip_id', ids[0]!);
      else for (const id of ids) query.append('clip_ids[]', id);
      // The API's name for the wait value of a finished clip is `completed`.
      if (wanted !== undefined) query.set('status', wanted === 'complete' ? 'completed' : wanted);
      const path = ids.length === 1 ? 'clip' : 'clips';
      return { method: 'GET', url: `${baseUrl}/v2/generate/audio/suno-ai/${path}?${query}`, headers: headers() };
    },
    headers,
    failureReason: (clip) => reasonOf((clip.metadata as { error_message?: unknown } | null | undefined)?.error_message),
    redact,
  };
}
