import { isClipstreamError } from '../errors/isClipstreamError.js';
import type { AnyProvider } from '../providers/Provider.js';
import { registeredProvider, registeredProviders, type RegisteredProvider } from '../providers/registry.js';
import type { ClientOptions } from '../client/ClientOptions.js';
import { createClient } from '../client/createClient.js';
import { checkWaitableStatus } from '../status/checkStatus.js';
import { numberFlag, stringFlag, UsageError, type ParsedArgs } from './args.js';
import type { Io } from './Output.js';
import { providerNames } from './help.js';




/** The provider of `--provider`, `--base-url` and the key (from its environment variable or `--api-key-file`). */
export function providerFromFlags(args: ParsedArgs, io: Io): { entry: RegisteredProvider; provider: AnyProvider } {
  const name = stringFlag(args, 'provider');
  if (name === undefined) throw new UsageError(`--provider is required: ${providerNames.join(', ')}`);
  const entry = registeredProvider(name);
  if (entry === undefined) throw new UsageError(`unknown provider "${name}" for --provider: use ${providerNames.join(', ')}`);

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
export function followSetupFromFlags(args: ParsedArgs, io: Io) {
  const { entry, provider } = providerFromFlags(args, io);
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
