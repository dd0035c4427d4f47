import { createWaiter, WaiterState } from '@smithy/util-waiter';
import { aimlSuno, createClient, sunoApi, type ClientOptions } from 'clipstream';

/** What a strategy reports: each status it saw for each job, with the wall-clock time it saw it. */
export type Observe = (id: string, status: string) => void;

export interface StrategyContext {
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly api: 'aiml-suno' | 'sunoapi';
  readonly ids: readonly string[];
  readonly observe: Observe;
}

/** One way of watching jobs, as a user would write it. */
export interface Strategy {
  readonly name: string;
  readonly label: string;
  run(context: StrategyContext): Promise<void>;
}

const terminal = new Set(['complete', 'completed', 'error']);

/**
 * clipstream as the README shows it: one `watch(id)` per job, every
 * emission observed, with client `options` and watch `options`.
 */
function clipstream(name: string, label: string, options: ClientOptions = {}, watchOptions: { since?: 'submitted' } = {}): Strategy {
  return {
    name,
    label,
    async run({ baseUrl, apiKey, api, ids, observe }) {
      const provider = api === 'sunoapi' ? sunoApi({ apiKey, baseUrl }) : aimlSuno({ apiKey, baseUrl });
      const client = createClient(provider as ReturnType<typeof aimlSuno>, options);
      await new Promise<void>((resolve) => {
        let left = ids.length;
        const done = () => {
          if (--left === 0) resolve();
        };
        for (const id of ids) {
          client.watch(id, watchOptions).subscribe({
            next: (job) => observe(id, (job as { status: string }).status),
            error: (error: unknown) => {
              process.stderr.write(`${name}: ${id}: ${String(error)}\n`);
              done();
            },
            complete: done,
          });
        }
      });
    },
  };
}

/** The URL a naive poller fetches: one job, and no wait (the lowest status, so the server answers at once). */
function pollUrl(baseUrl: string, api: StrategyContext['api'], id: string): string {
  return api === 'sunoapi'
    ? `${baseUrl}/api/v2/suno/v3.5/clips?ids=${encodeURIComponent(id)}`
    : `${baseUrl}/v2/generate/audio/suno-ai/clip?clip_id=${encodeURIComponent(id)}&status=submitted`;
}

async function fetchStatus(baseUrl: string, apiKey: string, api: StrategyContext['api'], id: string): Promise<string | undefined> {
  try {
    const response = await fetch(pollUrl(baseUrl, api, id), { headers: { Authorization: `Bearer ${apiKey}` } });
    const body = (await response.json()) as { status?: string; clips?: Array<{ status: string }> };
    return body.clips?.[0]?.status ?? body.status;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fetch loop per job: ask, wait a second after the answer, ask again, until a terminal status. */
const naive: Strategy = {
  name: 'naive-1s',
  label: 'naive polling every 1 s',
  async run({ baseUrl, apiKey, api, ids, observe }) {
    await Promise.all(
      ids.map(async (id) => {
        let last: string | undefined;
        for (;;) {
          const status = await fetchStatus(baseUrl, apiKey, api, id);
          if (status !== undefined && status !== last) {
            observe(id, status);
            last = status;
          }
          if (status !== undefined && terminal.has(status)) return;
          await sleep(1_000);
        }
      }),
    );
  },
};

/** @smithy/util-waiter with its defaults (minDelay 2 s, maxDelay 120 s, exponential backoff with jitter). */
const smithy: Strategy = {
  name: 'smithy-waiter',
  label: '@smithy/util-waiter, defaults',
  async run({ baseUrl, apiKey, api, ids, observe }) {
    await Promise.all(
      ids.map(async (id) => {
        let last: string | undefined;
        await createWaiter({ client: {}, maxWaitTime: 300, minDelay: 2, maxDelay: 120 }, id, async () => {
          const status = await fetchStatus(baseUrl, apiKey, api, id);
          if (status !== undefined && status !== last) {
            observe(id, status);
            last = status;
          }
          if (status === 'error') return { state: WaiterState.FAILURE };
          return { state: status !== undefined && terminal.has(status) ? WaiterState.SUCCESS : WaiterState.RETRY };
        });
      }),
    );
  },
};

export const strategies: Record<string, Strategy> = Object.fromEntries(
  [
    clipstream('clipstream', 'clipstream, defaults'),
    clipstream('clipstream-all', 'clipstream, maxConnections ≥ jobs', { maxConnections: Infinity }),
    clipstream('clipstream-since', 'clipstream, since', {}, { since: 'submitted' }),
    clipstream('clipstream-since-all', 'clipstream, since, maxConnections ≥ jobs', { maxConnections: Infinity }, { since: 'submitted' }),
    clipstream('clipstream-fewest', "clipstream, batching: 'always'", { batching: 'always' }),
    clipstream('clipstream-mc6', 'clipstream, maxConnections 6', { maxConnections: 6 }),
    clipstream('clipstream-mc50', 'clipstream, maxConnections 50', { maxConnections: 50 }),
    naive,
    smithy,
  ].map((strategy) => [strategy.name, strategy]),
);
