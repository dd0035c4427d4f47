import { SunoApiClip } from '../codecs/SunoApiClip.js';
import { sunoStatuses, type SunoStatus } from '../status/sunoStatuses.js';
import type { SunoStatusAlias } from './aimlSuno.js';
import { checkProviderConfig, credentials, reasonOf } from './providerConfig.js';
import type { Provider, ProviderConfig } from './Provider.js';

/**
 * Suno clips through sunoapi.com.
 *
 * Fetches use `GET /api/v2/suno/v3.5/clips?ids=a,b`, two ids per request as
 * the API documents. It has no wait parameter, so clips are polled on an
 * interval that grows while nothing changes (see `polling` in the client
 * options).
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
export function sunoApi(config: ProviderConfig): Provider<SunoApiClip, SunoStatus, SunoStatusAlias> {
  const { apiKey, baseUrl } = checkProviderConfig('sunoApi', config, 'https://api.sunoapi.com');
  const { headers, redact } = credentials(apiKey);
  return {
    name: 'sunoapi',
    title: 'sunoapi.com',
    baseUrl,
    statuses: sunoStatuses,
    codec: SunoApiClip,
    maxBatchSize: 2,
    longPollTimeout: undefined,
    fetchRequest(ids) {
      // Ids are checked to be [A-Za-z0-9_-]+, so the comma list needs no escaping; sent as the API's example does.
      return { method: 'GET', url: `${baseUrl}/api/v2/suno/v3.5/clips?ids=${ids.join(',')}`, headers: headers() };
    },
    headers,
    failureReason: (clip) => {
      const metadata = clip.metadata as { error_message?: unknown; error_type?: unknown } | null | undefined;
      return reasonOf(metadata?.error_message) ?? reasonOf(metadata?.error_type);
    },
    redact,
  };
}
