import { take } from 'rxjs';
import { Webhook } from 'standardwebhooks';
import type { Client } from '../client/Client.js';
import { ConfigError } from '../errors/ConfigError.js';
import { isClipstreamError } from '../errors/isClipstreamError.js';
import { checkId } from '../internal/jobId.js';
import { integer, optionsObject } from '../internal/validate.js';
import type { AnyProvider } from '../providers/Provider.js';
import { redactDeep } from '../internal/redact.js';
import type { JobStore } from '../store/JobStore.js';
import { dualHandler, jsonResponse as json, type DualHandler } from './fetchHandler.js';

/** Options of {@link webhookHandler}: `signingSecret`, or `secret`, or both. */
export interface WebhookOptions {
  /**
   * The sender signs with Standard Webhooks (`webhook-id`,
   * `webhook-timestamp`, `webhook-signature`): its secret (`whsec_…`), or a
   * list of them while one is rotated out. A signed push is taken as the
   * job; the same `webhook-id` twice is taken once.
   */
  signingSecret?: string | readonly string[];
  /**
   * For senders that cannot sign (Luma's `callback_url` can hold no
   * header): a shared secret the sender presents as `?secret=…` or an
   * `X-Webhook-Secret` header, at least 16 characters. The weak option: a
   * URL's query ends up in access logs and the vendor's dashboard. Such a
   * push is a hint: the job is read again from the API with the key before
   * any watch hears it, so a forged body can make a watch look sooner, never
   * decide what it sees.
   */
  secret?: string;
  /** How far a signature's timestamp may be from now, in ms. @default 300000 */
  tolerance?: number;
  /** The largest body accepted, in bytes. @default 1048576 */
  maxBodyBytes?: number;
  /**
   * The relay's store (`redisStore`), where relays on several instances
   * run: each job taken in is written there too, so every instance's
   * browsers hear it, whichever instance the push reached.
   */
  store?: JobStore;
}

/** The literal defaults of {@link WebhookOptions} (each `@default` is checked against this object by a test). */
export const webhookDefaults = { tolerance: 300_000, maxBodyBytes: 1_048_576 } as const;

/**
 * Turns pushed jobs (Luma's `callback_url` POSTs, or any API's webhook) into
 * `client.ingest` calls, so the watches of those jobs hear at once; polling
 * goes on as the fallback. Usable as a `node:http` listener, and as a
 * fetch-style handler through `.fetch`.
 *
 * A push signed with Standard Webhooks (`signingSecret`) is the job. A push
 * with only the shared `secret` is a hint: each job is read again from the
 * API (a snapshot with the key), and that is what watches hear. The whole
 * body is checked before anything is taken in.
 *
 * Answers 200 (what Luma expects; it sends again otherwise) for jobs taken
 * in, 401 for a missing or wrong secret or signature (compared in constant
 * time), 400 for a body that is not a job of the client's API, 405 for
 * anything but POST, 413 for a body over `maxBodyBytes`.
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
 * client.generate({ model: 'ray-2', prompt: 'a cat playing piano', callback_url: `https://example.com/luma?secret=${secret}` })
 *   .subscribe((generation) => console.log(generation.state));
 * ```
 */
export function webhookHandler(client: Client<AnyProvider>, options: WebhookOptions): DualHandler {
  const given = optionsObject('webhookHandler', options, ['signingSecret', 'secret', 'tolerance', 'maxBodyBytes', 'store']) as WebhookOptions;
  const { store } = given;
  if (store !== undefined && typeof store?.record !== 'function') throw new ConfigError('webhookHandler.store', 'expected a JobStore: the relay\'s store');
  /** A job taken in: to the watches here, and through the store to every instance's browsers. */
  const takeIn = (job: unknown) => {
    const taken = client.ingest(job);
    // A status the model does not know reaches this instance's watches, not the store (it has no rank of its own).
    const status = client.statuses.statusOf(taken);
    if (store && status !== undefined) {
      const key = { api: client.provider.name, id: client.provider.idOf(taken)! };
      void store.record(key, { rank: client.statuses.priority(status), job: redactDeep(taken, client.provider.redact) }, client.statuses.isTerminal(status)).catch(() => undefined);
    }
  };
  const { secret } = given;
  if (secret !== undefined && (typeof secret !== 'string' || secret.length < 16)) throw new ConfigError('webhookHandler.secret', 'expected a secret of at least 16 characters');
  const signers = signersOf(given.signingSecret);
  if (secret === undefined && signers.length === 0) throw new ConfigError('webhookHandler', 'give signingSecret (Standard Webhooks) or secret (a shared secret, for senders that cannot sign)');
  const tolerance = integer('webhookHandler.tolerance', given.tolerance, webhookDefaults.tolerance, 1_000);
  const maxBodyBytes = integer('webhookHandler.maxBodyBytes', given.maxBodyBytes, webhookDefaults.maxBodyBytes, 1);
  /** Message ids taken in lately, oldest first: a signed message sent again (a retry, a replay) is taken once. */
  const seen = new Map<string, number>();

  return dualHandler(async (request) => {
    if (request.method !== 'POST') return json(405, { error: 'method', message: 'only POST' });
    const text = await request.text();
    const signed = request.headers.has('webhook-signature');
    let trusted: boolean;
    if (signed && signers.length > 0) {
      const messageId = request.headers.get('webhook-id') ?? '';
      if (!verified(signers, text, request.headers, tolerance)) return json(401, { error: 'signature', message: 'missing, wrong or stale signature' });
      const now = Date.now();
      // Oldest first (a Map keeps insertion order): stop at the first one still young, so a request costs what it prunes.
      for (const [id, at] of seen) {
        if (at >= now - 2 * tolerance && seen.size <= 10_000) break;
        seen.delete(id);
      }
      if (seen.has(messageId)) return json(200, {});
      seen.set(messageId, now);
      trusted = true;
    } else {
      const given = new URL(request.url).searchParams.get('secret') ?? request.headers.get('x-webhook-secret') ?? '';
      if (secret === undefined || !sameSecret(given, secret)) return json(401, { error: 'secret', message: signers.length > 0 ? 'missing or wrong signature' : 'missing or wrong secret' });
      trusted = false;
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return json(400, { error: 'body', message: 'the body is not JSON' });
    }
    const jobs: unknown[] = Array.isArray(body) ? body : [body];
    // Every job is checked before any is ingested: a bad last job must not leave the first ones half-delivered.
    for (const [index, job] of jobs.entries()) {
      const problem = jobProblem(client, job);
      if (problem !== undefined) return json(400, { error: 'job', message: jobs.length > 1 ? `job ${index}: ${problem}` : problem });
    }
    if (trusted) for (const job of jobs) takeIn(job);
    // A hint: the API is asked, and its answer is what watches hear. Answered first, so the sender does not wait on the API.
    else for (const id of new Set(jobs.map((job) => client.provider.idOf(job)!))) reread(client, id, takeIn);
    // 200, not 204: Luma sends a callback again unless it gets 200.
    return json(200, {});
  }, maxBodyBytes);
}

/** Reads the job from the API once (a snapshot) and ingests what the API says; a failure leaves the watches to their polling. */
function reread(client: Client<AnyProvider>, id: string, takeIn: (job: unknown) => void): void {
  client
    .watch(id)
    .pipe(take(1))
    .subscribe({
      next: (job) => {
        try {
          takeIn(job);
        } catch {
          /* the API's own answer did not decode: the watches hear of it through their own requests */
        }
      },
      error: () => undefined,
    });
}

function signersOf(given: string | readonly string[] | undefined): Webhook[] {
  if (given === undefined) return [];
  const list = typeof given === 'string' ? [given] : given;
  if (!Array.isArray(list) || list.length === 0) throw new ConfigError('webhookHandler.signingSecret', 'expected a secret ("whsec_…") or a non-empty list of them');
  return list.map((secret, index) => {
    try {
      if (typeof secret !== 'string') throw new Error('not a string');
      return new Webhook(secret);
    } catch {
      // The secret itself is never echoed.
      throw new ConfigError(`webhookHandler.signingSecret${typeof given === 'string' ? '' : `[${index}]`}`, 'expected a Standard Webhooks secret: "whsec_" and base64');
    }
  });
}

/** Whether any of the secrets signed `text` with these headers, within the tolerance. Standard Webhooks compares in constant time. */
function verified(signers: readonly Webhook[], text: string, headers: Headers, tolerance: number): boolean {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signature = headers.get('webhook-signature');
  if (!id || !timestamp || !signature) return false;
  // The package allows 5 minutes; a tighter tolerance is checked here.
  const at = Number(timestamp) * 1000;
  if (!Number.isFinite(at) || Math.abs(Date.now() - at) > tolerance) return false;
  const wanted = { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signature };
  return signers.some((signer) => {
    try {
      signer.verify(text, wanted);
      return true;
    } catch {
      return false;
    }
  });
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

/** Compares in time that depends on the length of `expected` only. */
function sameSecret(given: string, expected: string): boolean {
  let difference = given.length === expected.length ? 0 : 1;
  for (let index = 0; index < expected.length; index++) difference |= expected.charCodeAt(index) ^ given.charCodeAt(index % Math.max(1, given.length));
  return difference === 0;
}
