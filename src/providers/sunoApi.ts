import { SunoApiClip } from '../codecs/SunoApiClip.js';
import { envelope } from '../codecs/envelope.js';
import { defineProvider } from './defineProvider.js';
import { sunoApiIdentity } from './identities.js';
import { sunoDurations } from './typicalDurations.js';

/** What `client.create` takes for sunoapi.com (`custom/create-pure-music`). */
export interface SunoApiCreate {
  readonly tags: string;
  readonly title?: string;
  readonly [field: string]: unknown;
}

/**
 * Suno clips through sunoapi.com, as seed 003 documents it.
 *
 * Fetches use `GET /api/v2/suno/v3.5/clips?ids=a,b`, two ids per request as
 * the API documents. It has no wait parameter, so clips are polled on an
 * interval that grows while nothing changes (see `polling` in the client
 * options). Ids go in a comma list, each percent-encoded; an id holding a
 * comma of its own is refused.
 *
 * ## Example
 * ```ts
 * import { createClient, sunoApi } from 'clipstream';
 *
 * const client = createClient(sunoApi({ apiKey: process.env.SUNOAPI_KEY! }));
 * client.watchMany(['00e6b9e4-c29c-4cfe-8d7a-5b3f06ff5b90', '7070ec00-462e-42ac-9b9f-1074977f473f'])
 *   .subscribe((clip) => console.log(clip.id, clip.status));
 * // Output:
 * // 00e6b9e4-c29c-4cfe-8d7a-5b3f06ff5b90 streaming
 * // 7070ec00-462e-42ac-9b9f-1074977f473f streaming
 * // 00e6b9e4-c29c-4cfe-8d7a-5b3f06ff5b90 complete
 * // 7070ec00-462e-42ac-9b9f-1074977f473f complete
 * ```
 *
 * @param config `apiKey` (required) and `baseUrl` (default `https://api.sunoapi.com`)
 */
export const sunoApi = defineProvider({
  ...sunoApiIdentity,
  factory: 'sunoApi',
  typicalDurations: sunoDurations,
  defaultBaseUrl: 'https://api.sunoapi.com',
  codec: SunoApiClip,
  fetch: {
    url: (ids) => `/api/v2/suno/v3.5/clips?ids=${ids.map(encodeURIComponent).join(',')}`,
    maxIds: 2,
  },
  // The documented answer is {"clips": [...]}; the others are accepted as for every seed API.
  envelope: envelope({ lists: ['clips', 'generations'] }),
  create: {
    request: (input: SunoApiCreate) => ({ path: '/api/v2/suno/v3.5/custom/create-pure-music', body: input }),
    ids: (body) => (body as { clips?: Array<{ id?: string }> } | null)?.clips?.map((clip) => clip.id!),
  },
});
