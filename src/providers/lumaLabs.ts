import { envelope } from '../codecs/envelope.js';
import { ConfigError } from '../errors/ConfigError.js';
import { describe } from '../internal/validate.js';
import { LumaGeneration } from '../codecs/LumaGeneration.js';
import { defineProvider } from './defineProvider.js';
import { lumaLabsIdentity } from './identities.js';
import { lumaDurations } from './typicalDurations.js';

/** A model of Luma's video API, as its OpenAPI document lists them (others pass as strings). */
export type LumaModel = 'ray-2' | 'ray-flash-2' | 'ray-1-6' | (string & {});

/** A start or end frame of a Luma generation: an image, or an earlier generation to extend. */
export type LumaKeyframe = { readonly type: 'image'; readonly url: string } | { readonly type: 'generation'; readonly id: string };

/**
 * What `client.create` takes for Luma's own API (`POST /generations/video`),
 * as Luma's OpenAPI document has it: `model` is required; `prompt` is not (a
 * create from keyframes only, or the extension of a generation).
 */
export interface LumaLabsCreate {
  readonly model: LumaModel;
  readonly prompt?: string;
  readonly aspect_ratio?: '1:1' | '16:9' | '9:16' | '4:3' | '3:4' | '21:9' | '9:21' | (string & {});
  readonly loop?: boolean;
  readonly keyframes?: { readonly frame0?: LumaKeyframe; readonly frame1?: LumaKeyframe };
  readonly resolution?: '540p' | '720p' | '1080p' | '4k' | (string & {});
  readonly duration?: '5s' | '9s' | (string & {});
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
  typicalDurations: lumaDurations,
  defaultBaseUrl: 'https://api.lumalabs.ai/dream-machine/v1',
  codec: LumaGeneration,
  fetch: { url: (ids) => `/generations/${encodeURIComponent(ids[0]!)}` },
  envelope: envelope(),
  create: {
    request: (input: LumaLabsCreate) => {
      // Luma refuses a create without a model: said here, before anything is sent.
      if (typeof input?.model !== 'string' || input.model === '') throw new ConfigError('input.model', `Luma needs a model ("ray-2", "ray-flash-2"), got ${describe(input?.model)}`);
      return { path: '/generations/video', body: input };
    },
    ids: (body) => {
      const id = (body as { id?: unknown } | null)?.id;
      return typeof id === 'string' ? [id] : undefined;
    },
  },
});
