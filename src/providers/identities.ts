import type * as t from 'io-ts';
import type { AimlAudioGeneration, AimlVideoGeneration } from '../codecs/AimlGeneration.js';
import type { LumaGeneration } from '../codecs/LumaGeneration.js';
import type { SunoApiClip } from '../codecs/SunoApiClip.js';
import type { SunoClip } from '../codecs/SunoClip.js';
import { aimlGenerationStatuses } from '../status/aimlGenerationStatuses.js';
import { lumaStatuses } from '../status/lumaStatuses.js';
import type { StatusModel } from '../status/StatusModel.js';
import { sunoStatuses } from '../status/sunoStatuses.js';
import type { ResultUrls } from './Provider.js';
import { sunoResultUrls } from './sunoResultUrls.js';

/**
 * What is known of an API without talking to it: its name, statuses, and how
 * to read a job's id, failure reason and files. The provider files build on
 * these; a relay client needs only these (the relay decoded each job
 * upstream), so a page bundles no codec and no HTTP machinery.
 */
export interface ApiIdentity<J, S extends string, A extends string, F extends S> {
  readonly name: string;
  readonly title: string;
  /** The environment variable the CLI and its relay read this API's key from (every built-in API declares one). */
  readonly keyEnv?: string;
  readonly statuses: StatusModel<S, A, F>;
  /** The field of a job that holds its id. @default "id" */
  readonly idField?: string;
  failureReason?(job: J): string | undefined;
  resultUrls?(job: J): ResultUrls;
  idProblem?(id: string): string | undefined;
}

/** Infers an identity's status types, with the job type given. */
const identity =
  <J>() =>
  <S extends string, A extends string, F extends S>(given: ApiIdentity<J, S, A, F> & { readonly keyEnv: string }): ApiIdentity<J, S, A, F> & { readonly keyEnv: string } =>
    given;

/** A non-empty string, or nothing: for the reason a failed job gives. */
export function reasonOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

const lumaFiles = (generation: t.TypeOf<typeof LumaGeneration>): ResultUrls => ({
  video: generation.assets?.video ?? undefined,
  image: generation.assets?.image ?? undefined,
});

/**
 * The AI/ML API's generic endpoints say why in `error`: a string, `{ message }`,
 * `{ detail: [{ msg }] }` (its printed example: "Could not detect face in the
 * image"), `{ detail: "…" }`, or at least `{ name }`; anything else, as JSON.
 */
const generationError = (generation: { error?: unknown }): string | undefined => {
  const error = generation.error;
  if (error === undefined || error === null) return undefined;
  if (typeof error === 'string') return reasonOf(error);
  if (typeof error !== 'object') return String(error);
  const record = error as Record<string, unknown>;
  const details = Array.isArray(record.detail) ? record.detail.map((item) => reasonOf((item as { msg?: unknown } | null)?.msg)).filter((msg) => msg !== undefined) : [];
  return reasonOf(record.message) ?? (details.length > 0 ? details.join('; ') : undefined) ?? reasonOf(record.detail) ?? reasonOf(record.name) ?? JSON.stringify(error).slice(0, 300);
}

export const aimlSunoIdentity = identity<t.TypeOf<typeof SunoClip>>()({
  name: 'aiml-suno',
  title: 'AI/ML API Suno',
  keyEnv: 'AIMLAPI_KEY',
  statuses: sunoStatuses,
  failureReason: (clip) => reasonOf(clip.metadata?.error_message),
  resultUrls: sunoResultUrls,
});

export const aimlLumaIdentity = identity<t.TypeOf<typeof LumaGeneration>>()({
  name: 'aiml-luma',
  title: 'AI/ML API Luma',
  keyEnv: 'AIMLAPI_KEY',
  statuses: lumaStatuses,
  failureReason: (generation) => reasonOf(generation.failure_reason),
  resultUrls: lumaFiles,
});

export const sunoApiIdentity = identity<t.TypeOf<typeof SunoApiClip>>()({
  name: 'sunoapi',
  title: 'sunoapi.com',
  keyEnv: 'SUNOAPI_KEY',
  statuses: sunoStatuses,
  failureReason: (clip) => reasonOf(clip.metadata?.error_message) ?? reasonOf(clip.metadata?.error_type),
  resultUrls: sunoResultUrls,
  idProblem: (id) => (id.includes(',') ? 'sunoapi.com joins ids with commas, so an id cannot hold one' : undefined),
});

export const aimlVideoIdentity = identity<t.TypeOf<typeof AimlVideoGeneration>>()({
  name: 'aiml-video',
  title: 'AI/ML API video',
  keyEnv: 'AIMLAPI_KEY',
  statuses: aimlGenerationStatuses,
  failureReason: generationError,
  resultUrls: (generation) => ({ video: generation.video?.url }),
});

export const aimlAudioIdentity = identity<t.TypeOf<typeof AimlAudioGeneration>>()({
  name: 'aiml-audio',
  title: 'AI/ML API audio',
  keyEnv: 'AIMLAPI_KEY',
  statuses: aimlGenerationStatuses,
  failureReason: generationError,
  resultUrls: (generation) => ({ audio: generation.audio_file?.url }),
});

export const lumaLabsIdentity = identity<t.TypeOf<typeof LumaGeneration>>()({
  name: 'luma-labs',
  title: 'Luma API',
  keyEnv: 'LUMA_API_KEY',
  statuses: lumaStatuses,
  failureReason: (generation) => reasonOf(generation.failure_reason),
  resultUrls: lumaFiles,
});

/** Every API clipstream ships, by name: what `relay({ api: 'aiml-suno' })` looks up. */
export const apiIdentities = {
  'aiml-suno': aimlSunoIdentity,
  'aiml-luma': aimlLumaIdentity,
  sunoapi: sunoApiIdentity,
  'aiml-video': aimlVideoIdentity,
  'aiml-audio': aimlAudioIdentity,
  'luma-labs': lumaLabsIdentity,
} as const;

const absent = (value: unknown): value is undefined => typeof value !== 'string' || value.trim() === '' || value === 'None.mp3';

/** The files of a job by its API's `resultUrls`, with empty values and `"None.mp3"` dropped. */
export function resultUrlsOf<J>(identity: { resultUrls?(job: J): ResultUrls }, job: J): ResultUrls {
  const urls = identity.resultUrls?.(job) ?? {};
  return Object.fromEntries(Object.entries(urls).filter(([, value]) => !absent(value))) as ResultUrls;
}
