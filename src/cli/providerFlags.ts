import { isClipstreamError } from '../errors/isClipstreamError.js';
import type { AnyProvider } from '../providers/Provider.js';
import { ownProvider, registeredProvider, type RegisteredProvider } from '../providers/registry.js';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { ClientOptions } from '../client/ClientOptions.js';
import { createClient } from '../client/createClient.js';
import { checkWaitableStatus } from '../status/checkStatus.js';
import { numberFlag, stringFlag, UsageError, type ParsedArgs } from './args.js';
import type { Io } from './Output.js';
import { providerNames } from './help.js';

// A real dynamic import in the CommonJS build too (TypeScript would turn `import()` into `require`), so ESM modules load.
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Record<string, unknown>>;

/** The providers a `--provider-module` exports: every provider factory (from `defineProvider`) among its exports. */
async function providersOfModule(path: string): Promise<RegisteredProvider[]> {
  let exported: Record<string, unknown>;
  try {
    exported = await importModule(pathToFileURL(resolve(path)).href);
  } catch (error) {
    throw new UsageError(`cannot load --provider-module ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  const candidates = [exported, (exported.default as Record<string, unknown> | undefined) ?? {}].flatMap((scope) => Object.values(scope));
  const factories = [...new Set(candidates)].filter(
    (value): value is RegisteredProvider['factory'] => typeof value === 'function' && typeof (value as { spec?: { name?: unknown } }).spec?.name === 'string',
  );
  if (factories.length === 0) throw new UsageError(`--provider-module ${path} exports no provider factory (make one with defineProvider)`);
  return factories.map(ownProvider);
}

/**
 * The provider of `--provider` (a built-in one, or one a `--provider-module`
 * exports), `--base-url` and the key (from its environment variable or `--api-key-file`).
 */
export async function providerFromFlags(args: ParsedArgs, io: Io): Promise<{ entry: RegisteredProvider; provider: AnyProvider }> {
  const name = stringFlag(args, 'provider');
  const modulePath = stringFlag(args, 'provider-module');
  const own = modulePath === undefined ? [] : await providersOfModule(modulePath);
  const names = [...providerNames, ...own.map((entry) => entry.factory.spec.name)];
  if (name === undefined) throw new UsageError(`--provider is required: ${names.join(', ')}`);
  const entry = own.find((candidate) => candidate.factory.spec.name === name) ?? registeredProvider(name);
  if (entry === undefined) throw new UsageError(`unknown provider "${name}" for --provider: use ${names.join(', ')}${modulePath === undefined ? ', or --provider-module PATH for one of your own' : ''}`);

  const keyFile = stringFlag(args, 'api-key-file');
  let apiKey: string | undefined;
  if (keyFile !== undefined) {
    try {
      apiKey = io.readFile(keyFile).trim();
    } catch (error) {
      throw new UsageError(`cannot read --api-key-file ${keyFile}: ${(error as Error).message}`);
    }
  } else apiKey = io.env[entry.keyEnv];
  if (!apiKey) throw new UsageError(`no API key: set ${entry.keyEnv} or use --api-key-file`);

  const baseUrl = stringFlag(args, 'base-url');
  try {
    return { entry, provider: entry.factory(baseUrl === undefined ? { apiKey } : { apiKey, baseUrl }) };
  } catch (error) {
    throw inFlagTerms(error, entry, keyFile !== undefined);
  }
}

/** The client options the flags set: `--interval MS` is the pause between polls (or, for long-poll APIs, between answers without a change). */
export function clientOptionsFromFlags(args: ParsedArgs): ClientOptions {
  const interval = numberFlag(args, 'interval', 10);
  return interval === undefined ? {} : { polling: { interval } };
}

/** The provider, its client, and the follow flags (`--until`, `--timeout`) of watch and generate, checked. */
export async function followSetupFromFlags(args: ParsedArgs, io: Io) {
  const { entry, provider } = await providerFromFlags(args, io);
  const client = createClient(provider, clientOptionsFromFlags(args));
  const until = stringFlag(args, 'until');
  if (until !== undefined) checkWaitableStatus('--until', until, provider.statuses);
  return { entry, provider, client, until, timeout: numberFlag(args, 'timeout', 1) };
}

/** A ConfigError about the library's options, said in terms of the CLI's flags. */
export function inFlagTerms(error: unknown, entry?: RegisteredProvider, fromFile = false): unknown {
  if (!isClipstreamError(error, 'ConfigError')) return error;
  const factory = entry?.factory.spec.factory;
  const field = error.field;
  const detail = error.message.slice(field.length + 2);
  if (factory !== undefined && field === `${factory}.baseUrl`) return new UsageError(`--base-url: ${detail}`);
  if (factory !== undefined && field === `${factory}.apiKey`) return new UsageError(`the key in ${fromFile ? '--api-key-file' : entry!.keyEnv}: ${detail}`);
  const id = /^ids\[(\d+)\]$/.exec(field);
  if (id) return new UsageError(`<id> ${Number(id[1]) + 1}: ${detail}`);
  if (field === 'options.until') return new UsageError(`--until: ${detail}`);
  if (field === 'options.timeout') return new UsageError(`--timeout: ${detail}`);
  return new UsageError(error.message);
}
