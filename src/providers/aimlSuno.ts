import { SunoClip } from '../codecs/SunoClip.js';
import { defineProvider } from './defineProvider.js';
import { aimlSunoIdentity } from './identities.js';
import { query } from './query.js';
import type { sunoStatuses } from '../status/sunoStatuses.js';
import { sunoDurations } from './typicalDurations.js';

/** Suno status aliases the AI/ML API uses (`completed`, `queue`). */
export type SunoStatusAlias = keyof typeof sunoStatuses.aliases;

/** What `client.create` takes for AI/ML API Suno: a prompt (lyrics) or a description for GPT to write them from. */
export interface AimlSunoCreate {
  readonly prompt?: string;
  readonly gpt_description_prompt?: string;
  readonly tags?: string;
  readonly title?: string;
  readonly make_instrumental?: boolean;
  readonly [field: string]: unknown;
}

const base = '/v2/generate/audio/suno-ai';

/**
 * Suno clips through the AI/ML API, as seeds 000–002 document it. The vendor
 * has since removed these pages from its docs (deprecated February 2025,
 * removed December 2025) in favour of `aimlAudio`; the endpoints are kept
 * working here.
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
export const aimlSuno = defineProvider({
  ...aimlSunoIdentity,
  factory: 'aimlSuno',
  typicalDurations: sunoDurations,
  defaultBaseUrl: 'https://api.aimlapi.com',
  codec: SunoClip,
  headers: { 'Content-Type': 'application/json' },
  fetch: {
    // A snapshot waits for the lowest status, so the server answers at once; a finished clip is `completed` to the API.
    url: (ids, wait) => {
      const status = wait === undefined ? 'submitted' : wait === 'complete' ? 'completed' : wait;
      return ids.length === 1
        ? `${base}/clip?${query([['clip_id', ids[0]], ['status', status]])}`
        : `${base}/clips?${query([...ids.map((id) => ['clip_ids[]', id] as const), ['status', status]])}`;
    },
    maxIds: 6,
    longPollTimeout: 120_000,
  },
  create: {
    request: (input: AimlSunoCreate) => ({ path: `${base}/clip`, body: input }),
    ids: (body) => (body as { clip_ids?: string[] } | null)?.clip_ids,
  },
});
