import { LumaGeneration } from '../codecs/LumaGeneration.js';
import { lumaStatuses, type LumaStatus } from '../status/lumaStatuses.js';
import { aimlFetchRequest } from './aimlFetchRequest.js';
import { checkProviderConfig, credentials, reasonOf } from './providerConfig.js';
import type { Provider, ProviderConfig } from './Provider.js';

/**
 * Luma video generations through the AI/ML API.
 *
 * Fetches use the long-poll endpoints: `GET /v2/generate/video/luma-ai/generation?generation_id=…&state=…`
 * for one generation, `GET /v2/generate/video/luma-ai/generations?generation_ids[]=…&state=…`
 * for several (6 per request, as for Suno: the API gives no limit). The server
 * answers once every generation is at or above `state`, or after 30 seconds.
 *
 * ## Example
 * ```ts
 * import { createClient, aimlLuma } from 'clipstream';
 *
 * const client = createClient(aimlLuma({ apiKey: process.env.AIMLAPI_KEY! }));
 * const video = await client.waitFor('755f9bbb-d99b-4880-992b-f05244ddba61', 'completed');
 * console.log(video.assets?.video);
 * // Output:
 * // https://…/video.mp4
 * ```
 *
 * @param config `apiKey` (required) and `baseUrl` (default `https://api.aimlapi.com`)
 */
export function aimlLuma(config: ProviderConfig): Provider<LumaGeneration, LumaStatus, never> {
  const { apiKey, baseUrl } = checkProviderConfig('aimlLuma', config, 'https://api.aimlapi.com');
  const { headers, redact } = credentials(apiKey, { 'Content-Type': 'application/json' });
  return {
    name: 'aiml-luma',
    title: 'AI/ML API Luma',
    baseUrl,
    statuses: lumaStatuses,
    codec: LumaGeneration,
    maxBatchSize: 6,
    longPollTimeout: 30_000,
    fetchRequest: aimlFetchRequest({ baseUrl, path: '/v2/generate/video/luma-ai', noun: 'generation', waitParam: 'state' }, headers),
    headers,
    failureReason: (generation) => reasonOf(generation.failure_reason),
    redact,
  };
}
