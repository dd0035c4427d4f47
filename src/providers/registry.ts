import type { ProviderFactory } from './defineProvider.js';
import { aimlAudio } from './aimlAudio.js';
import { aimlLuma } from './aimlLuma.js';
import { aimlSuno } from './aimlSuno.js';
import { aimlVideo } from './aimlVideo.js';
import { lumaLabs } from './lumaLabs.js';
import { sunoApi } from './sunoApi.js';

/** A provider as the CLI, the demo and the simulator list it. */
export interface RegisteredProvider {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly factory: ProviderFactory<any, string, string, string, any>;
  /** The environment variable the CLI reads the key from. */
  readonly keyEnv: string;
  /** The create input for a prompt, as the CLI's `generate` and the demo send it. */
  prompt(prompt: string): unknown;
  /** Whether its endpoints are those of the seed documents, since removed from the vendor's docs. */
  readonly seed: boolean;
}

/** Every provider clipstream ships, by name: the one list the CLI, the demo and the simulator read. */
export const registeredProviders: readonly RegisteredProvider[] = [
  { factory: aimlSuno, keyEnv: 'AIMLAPI_KEY', prompt: (prompt) => ({ prompt, tags: 'synthwave' }), seed: true },
  { factory: aimlLuma, keyEnv: 'AIMLAPI_KEY', prompt: (prompt) => ({ prompt, aspect_ratio: '16:9' }), seed: true },
  { factory: sunoApi, keyEnv: 'SUNOAPI_KEY', prompt: (prompt) => ({ tags: prompt, title: 'clipstream' }), seed: true },
  { factory: aimlVideo, keyEnv: 'AIMLAPI_KEY', prompt: (prompt) => ({ model: 'luma/ray-2', prompt }), seed: false },
  { factory: aimlAudio, keyEnv: 'AIMLAPI_KEY', prompt: (prompt) => ({ model: 'stable-audio', prompt }), seed: false },
  { factory: lumaLabs, keyEnv: 'LUMA_API_KEY', prompt: (prompt) => ({ prompt, model: 'ray-2' }), seed: false },
];

/** The registered provider named `name` (`"aiml-suno"`), or undefined. */
export function registeredProvider(name: string): RegisteredProvider | undefined {
  return registeredProviders.find((entry) => entry.factory.spec.name === name);
}
