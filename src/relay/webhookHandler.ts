import type { Client } from '../client/createClient.js';
import { ConfigError } from '../errors/ConfigError.js';
import { isClipstreamError } from '../errors/isClipstreamError.js';
import { checkId } from '../internal/jobId.js';
import type { AnyProvider } from '../providers/Provider.js';
import { dualHandler, jsonResponse as json, type DualHandler } from './fetchHandler.js';

/** Options of {@link webhookHandler}. */
export interface WebhookOptions {
  /**
   * The shared secret the sender must present: `?secret=…` in the callback
   * URL (Luma's `callback_url` can hold no header), or an `X-Webhook-Secret`
   * header. At least 16 characters.
   */
  secret: string;
  /** The largest body accepted, in bytes. @default 1048576 */
  maxBodyBytes?: number;
}

/**
 * Turns pushed jobs (Luma's `callback_url` POSTs, or any API's webhook) into
 * `client.ingest` calls, so the watches of those jobs hear at once; polling
 * goes on as the fallback. Usable as a `node:http` listener, and as a
 * fetch-style handler through `.fetch`.
 *
 * Answers 204 for jobs taken in, 401 for a missing or wrong secret (compared
 * in constant time), 400 for a body that is not a job of the client's API,
 * 405 for anything but POST, 413 for a body over `maxBodyBytes`.
 *
 * ## Example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createClient, lumaLabs } from 'clipstream';
 * import { webhookHandler } from 'clipstream/relay';
 *
 * const client = createClient(lumaLabs({ apiKey: process.env.LUMA_API_KEY! }));
 * const secret = process.env.WEBHOOK_SECRET!;
 * createServer(webhookHandler(client, { secret })).listen(8080);
 *
 * client.generate({ prompt: 'a cat playing piano', callback_url: `https://example.com/luma?secret=${secret}` })
 *   .subscribe((generation) => console.log(generation.state));
 * ```
 */
export function webhookHandler(client: Client<AnyProvider>, options: WebhookOptions): DualHandler {
  const secret = options?.secret;
  if (typeof secret !== 'string' || secret.length < 16) throw new ConfigError('webhookHandler.secret', 'expected a secret of at least 16 characters');
  return dualHandler(async (request) => {
    if (request.method !== 'POST') return json(405, { error: 'method', message: 'only POST' });
    const given = new URL(request.url).searchParams.get('secret') ?? request.headers.get('x-webhook-secret') ?? '';
    if (!sameSecret(given, secret)) return json(401, { error: 'secret', message: 'missing or wrong secret' });
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return json(400, { error: 'body', message: 'the body is not JSON' });
    }
    const jobs: unknown[] = Array.isArray(body) ? body : [body];
    // Every job is checked before any is ingested: a bad last job must not leave the first ones half-delivered.
    for (const [index, job] of jobs.entries()) {
      const problem = jobProblem(client, job);
      if (problem !== undefined) return json(400, { error: 'job', message: jobs.length > 1 ? `job ${index}: ${problem}` : problem });
    }
    for (const job of jobs) client.ingest(job);
    // 200, not 204: Luma sends a callback again unless it gets 200.
    return json(200, {});
  }, options.maxBodyBytes ?? 1_048_576);
}

/** Compares in time that depends on the length of `expected` only. */
function sameSecret(given: string, expected: string): boolean {
  let difference = given.length === expected.length ? 0 : 1;
  for (let index = 0; index < expected.length; index++) difference |= expected.charCodeAt(index) ^ given.charCodeAt(index % Math.max(1, given.length));
  return difference === 0;
}

/** Why `job` cannot be ingested (no id, a bad id, or not a job of the client's API), or undefined. */
function jobProblem(client: Client<AnyProvider>, job: unknown): string | undefined {
  const { provider } = client;
  const id = provider.idOf(job);
  if (id === undefined) return 'expected a job with an id';
  try {
    checkId('id', id, (value) => provider.idProblem(value));
  } catch (error) {
    return isClipstreamError(error) ? error.message : 'bad id';
  }
  const [result] = provider.decode(job, [id], 'webhook', () => 0);
  return result?.error ? provider.redact(result.error.message) : undefined;
}
