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
  /** The environment variable the CLI reads the key from: the API's identity declares it. */
  readonly keyEnv: string;
  /** The create input for a prompt, as the CLI's `generate` and the demo send it. */
  prompt(prompt: string): unknown;
  /** Whether its endpoints are those of the seed documents, since removed from the vendor's docs. */
  readonly seed: boolean;
}

/**
 * A provider as the CLI registers it. Its key's variable is its spec's
 * `keyEnv` (a built-in spec has its identity's), or `NAME_API_KEY`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function registered<F extends ProviderFactory<any, string, string, string, any>>(factory: F, prompt: (prompt: string) => unknown, seed: boolean): RegisteredProvider & { readonly factory: F } {
  const keyEnv = factory.spec.keyEnv ?? `${factory.spec.name.toUpperCase().replace(/-/g, '_')}_API_KEY`;
  return { factory, keyEnv, prompt, seed };
}

/**
 * Every provider clipstream ships, by its API's name: the one list the CLI,
 * the demo, the simulator's specs and the relay's names (`RelayApis`, a type
 * derived from it) read. A new built-in provider is its folder's files and
 * one line here (and its identity in identities.ts, which a page bundles).
 */
export const builtInProviders = {
  'aiml-suno': registered(aimlSuno, (prompt) => ({ prompt, tags: 'synthwave' }), true),
  'aiml-luma': registered(aimlLuma, (prompt) => ({ prompt, aspect_ratio: '16:9' }), true),
  sunoapi: registered(sunoApi, (prompt) => ({ tags: prompt, title: 'clipstream' }), true),
  'aiml-video': registered(aimlVideo, (prompt) => ({ model: 'luma/ray-2', prompt }), false),
  'aiml-audio': registered(aimlAudio, (prompt) => ({ model: 'stable-audio', prompt }), false),
  'luma-labs': registered(lumaLabs, (prompt) => ({ prompt, model: 'ray-2' }), false),
} as const;

/** The built-in providers, in the order above. */
export const registeredProviders: readonly RegisteredProvider[] = Object.values(builtInProviders);

/** A provider of your own as the CLI registers it (`--provider-module`): a create input of `{ prompt }`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function ownProvider(factory: ProviderFactory<any, string, string, string, any>): RegisteredProvider {
  return registered(factory, (prompt) => ({ prompt }), false);
}

/** The registered provider named `name` (`"aiml-suno"`), or undefined. */
export function registeredProvider(name: string): RegisteredProvider | undefined {
  return registeredProviders.find((entry) => entry.factory.spec.name === name);
}
