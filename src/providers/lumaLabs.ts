import { envelope } from '../codecs/envelope.js';
import { LumaGeneration } from '../codecs/LumaGeneration.js';
import { defineProvider } from './defineProvider.js';
import { lumaLabsIdentity } from './identities.js';

/** What `client.create` takes for Luma's own API (`POST /generations/video`). */
export interface LumaLabsCreate {
  readonly prompt: string;
  readonly model?: string;
  readonly aspect_ratio?: string;
  readonly loop?: boolean;
  /** Luma POSTs the generation here on every change: feed it to `client.ingest` (see `webhookHandler`). */
  readonly callback_url?: string;
  readonly [field: string]: unknown;
}

/**
 * Video generations through Luma's own API (Dream Machine): create with
 * `POST /generations/video` (answered 201 with the generation), fetch one
 * with `GET /generations/{id}`. `state` is `queued`, `dreaming`, `completed`
 * or `failed`, with `failure_reason` and `assets.video` / `assets.image`;
 * errors are `{ detail }`. There is no long-poll: generations are polled, and
 * `callback_url` at create makes Luma push each change (see `client.ingest`).
 *
 * ## Example
 * ```ts
 * import { createClient, lumaLabs } from 'clipstream';
 *
 * const client = createClient(lumaLabs({ apiKey: process.env.LUMA_API_KEY! }));
 * client.generate({ prompt: 'a cat playing piano', model: 'ray-2' })
 *   .subscribe((generation) => console.log(generation.state));
 * // Output:
 * // dreaming
 * // completed
 * ```
 *
 * @param config `apiKey` (required) and `baseUrl` (default `https://api.lumalabs.ai/dream-machine/v1`)
 */
export const lumaLabs = defineProvider({
  ...lumaLabsIdentity,
  factory: 'lumaLabs',
  defaultBaseUrl: 'https://api.lumalabs.ai/dream-machine/v1',
  codec: LumaGeneration,
  fetch: { url: (ids) => `/generations/${encodeURIComponent(ids[0]!)}` },
  envelope: envelope(),
  create: {
    request: (input: LumaLabsCreate) => ({ path: '/generations/video', body: input }),
    ids: (body) => {
      const id = (body as { id?: unknown } | null)?.id;
      return typeof id === 'string' ? [id] : undefined;
    },
  },
});
