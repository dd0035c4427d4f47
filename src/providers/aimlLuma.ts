import { LumaGeneration } from '../codecs/LumaGeneration.js';
import { defineProvider } from './defineProvider.js';
import { aimlLumaIdentity } from './identities.js';
import { query } from './query.js';
import { lumaDurations } from './typicalDurations.js';

/** What `client.create` takes for AI/ML API Luma. */
export interface AimlLumaCreate {
  readonly prompt: string;
  readonly aspect_ratio?: string;
  readonly loop?: boolean;
  readonly [field: string]: unknown;
}

const base = '/v2/generate/video/luma-ai';

/**
 * Luma video generations through the AI/ML API, as seed 004 documents it. The
 * vendor has since removed these pages from its docs (January 2026) in
 * favour of `aimlVideo`; the endpoints are kept working here.
 *
 * Fetches use the long-poll endpoints: `GET /v2/generate/video/luma-ai/generation?generation_id=…&state=…`
 * for one generation, `GET /v2/generate/video/luma-ai/generations?generation_ids[]=…&state=…`
 * for several (6 per request, as for Suno: the API gives no limit). The server
 * answers once every generation is at or above `state`, or after 30 seconds.
 * The seed's schema names the wait parameter `status` where its example uses
 * `state`: both are sent.
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
export const aimlLuma = defineProvider({
  ...aimlLumaIdentity,
  factory: 'aimlLuma',
  typicalDurations: lumaDurations,
  defaultBaseUrl: 'https://api.aimlapi.com',
  codec: LumaGeneration,
  headers: { 'Content-Type': 'application/json' },
  fetch: {
    // A snapshot waits for the lowest state, so the server answers at once.
    url: (ids, wait) => {
      const state = wait ?? 'queued';
      const waits = [['state', state], ['status', state]] as const;
      return ids.length === 1
        ? `${base}/generation?${query([['generation_id', ids[0]], ...waits])}`
        : `${base}/generations?${query([...ids.map((id) => ['generation_ids[]', id] as const), ...waits])}`;
    },
    maxIds: 6,
    longPollTimeout: 30_000,
  },
  create: {
    request: (input: AimlLumaCreate) => ({ path: `${base}/generation`, body: input }),
    ids: (body) => {
      const id = (body as { id?: unknown } | null)?.id;
      return typeof id === 'string' ? [id] : undefined;
    },
  },
});
