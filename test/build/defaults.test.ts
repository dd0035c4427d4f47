// Each options type's documented `@default` is the value its defaults object
// holds, and the resolver uses: a default changed in one place and not the
// other fails here. Defaults that depend on the API or the platform are
// prose, listed below with the reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clientDefaults } from '../../src/client/ClientOptions.js';
import { retryDefaults } from '../../src/engine/EngineOptions.js';
import { schedulingDefaults } from '../../src/engine/SchedulingOptions.js';
import { learnedPollingDefaults } from '../../src/polling/learningOptions.js';
import { pollingDefaults } from '../../src/watch/pacing.js';
import { aimlSuno, sunoApi } from '../../src/index.js';
import { resolveClientOptions } from '../../src/client/ClientOptions.js';
import { resolveLearning } from '../../src/polling/learningOptions.js';
import { relayDefaults } from '../../src/relayServer/relayOptions.js';
import { faultDefaults } from '../../src/simulator/faults.js';
import { simulationDefaults } from '../../src/simulator/simulationOptions.js';
import { redisStoreDefaults } from '../../src/redis/redisStore.js';
import { webhookDefaults } from '../../src/relayServer/webhookHandler.js';
import { memoryStoreDefaults } from '../../src/store/memoryStore.js';
import { fetchTransportDefaults } from '../../src/transport/fetchTransport.js';
import { defaultReconnect } from '../../src/engine/relay/EventStream.js';

const src = join(__dirname, '..', '..', 'src');

/** The `@default` of each property of `interface` in `file`, as written. */
function documentedDefaults(file: string, name: string): Map<string, string> {
  const text = readFileSync(join(src, file), 'utf8');
  const start = text.indexOf(`export interface ${name} `);
  if (start < 0) throw new Error(`no interface ${name} in ${file}`);
  let depth = 0;
  let end = text.indexOf('{', start);
  for (let at = end; at < text.length; at++) {
    if (text[at] === '{') depth++;
    if (text[at] === '}' && --depth === 0) {
      end = at;
      break;
    }
  }
  const body = text.slice(text.indexOf('{', start) + 1, end);
  const found = new Map<string, string>();
  for (const [, doc, property] of body.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(?:readonly\s+)?(\w+)\??:/g)) {
    const value = /@default\s+([^\n*]+?)\s*(?:\*\/|\n|$)/.exec(doc!)?.[1];
    if (value !== undefined) found.set(property!, value.trim());
  }
  return found;
}

const literal = (written: string): unknown => {
  // A number may carry its unit in parentheses: `4194304 (4 MiB)`.
  const number = /^(-?\d+(?:\.\d+)?)(?:\s*\([^)]*\))?$/.exec(written);
  if (number) return Number(number[1]);
  if (/^"[^"]*"$/.test(written)) return JSON.parse(written);
  if (written === 'Math.random') return Math.random;
  if (written === 'true' || written === 'false') return written === 'true';
  if (written === '[]') return [];
  return undefined;
};

describe('documented defaults', () => {
  it.each([
    ['engine/EngineOptions.ts', 'RetryOptions', retryDefaults, []],
    ['engine/SchedulingOptions.ts', 'SchedulingOptions', schedulingDefaults, ['maxConnections (64, or 4 in a browser)', "maxBatchSize (the API's limit)"]],
    ['polling/learningOptions.ts', 'LearnedPollingOptions', learnedPollingDefaults, []],
    ['watch/pacing.ts', 'PollingOptions', pollingDefaults, ['interval (3000 for polled APIs, 1000 for long-poll ones)']],
    [
      'client/ClientOptions.ts',
      'ClientOptions',
      clientDefaults,
      ["fetch (the platform's)", 'scheduler (asyncScheduler)', 'store (none)', "requestTimeout (the API's long-poll + 30000)"],
    ],
    ['relayServer/relayOptions.ts', 'RelayOptions', relayDefaults, ['scheduler (asyncScheduler)', 'store (memoryStore() on the scheduler)']],
    [
      'simulator/simulationOptions.ts',
      'SimulationOptions',
      simulationDefaults,
      ["longPollTimeout (each API's documented timeout)", "maxIds (each API's)", 'scheduler (asyncScheduler)', "callback (a POST with the platform's fetch)"],
    ],
    ['simulator/faults.ts', 'FaultOptions', faultDefaults, ['kinds (every kind, equally)', "seed (the simulator's seed)"]],
    ['redis/redisStore.ts', 'RedisStoreOptions', redisStoreDefaults, []],
    ['relayServer/webhookHandler.ts', 'WebhookOptions', webhookDefaults, []],
    ['store/memoryStore.ts', 'MemoryStoreOptions', memoryStoreDefaults, ['scheduler (asyncScheduler)']],
    ['transport/fetchTransport.ts', 'FetchTransportOptions', fetchTransportDefaults, ["fetch (the platform's)"]],
  ] as const)('%s %s: every @default is its defaults object', (file, name, defaults, prose) => {
    const documented = documentedDefaults(file, name);
    const checked: Record<string, unknown> = {};
    const left: string[] = [];
    for (const [property, written] of documented) {
      const value = literal(written);
      if (value === undefined) left.push(property);
      else checked[property] = value;
    }
    // Each literal @default equals its defaults object's value, and the object holds nothing undocumented.
    const held = Object.fromEntries(Object.entries(defaults).filter(([key]) => key in checked));
    expect(checked).toEqual(held);
    expect(Object.keys(defaults).filter((key) => !documented.has(key))).toEqual([]);
    // What is prose is so on purpose: the list above says why.
    expect(left.sort()).toEqual(prose.map((entry) => entry.split(' ')[0]!).filter((key) => !(key in checked)).sort());
  });

  it("relay({ reconnect })'s defaults, written in prose, are its defaults object's", () => {
    const text = readFileSync(join(src, 'providers', 'relay.ts'), 'utf8');
    const doc = text.slice(text.indexOf('How the stream reconnects'), text.indexOf('reconnect?:'));
    const { tries, baseDelay, maxDelay, linger } = defaultReconnect;
    expect(doc).toContain(`fail (${tries})`);
    expect(doc).toContain(`\`baseDelay\` (${baseDelay} ms)`);
    expect(doc).toContain(`(${maxDelay / 1000} s)`);
    expect(doc).toContain(`\`linger\`, ${linger / 1000} s`);
    expect(defaultReconnect.random).toBe(Math.random);
  });

  it('is what the resolvers fill in', () => {
    const polled = resolveClientOptions(undefined, sunoApi({ apiKey: 'test-key' }));
    expect(polled.retry).toEqual(retryDefaults);
    expect({ snapshotTimeout: polled.snapshotTimeout, maxResponseBytes: polled.maxResponseBytes }).toEqual(clientDefaults);
    expect({ batching: polled.batching, overflowInterval: polled.overflowInterval }).toEqual(schedulingDefaults);
    expect({ backoff: polled.polling.backoff, maxInterval: polled.polling.maxInterval }).toEqual(pollingDefaults);
    expect(resolveLearning(polled.polling, false)).toEqual(learnedPollingDefaults);
    expect(resolveLearning(resolveClientOptions(undefined, aimlSuno({ apiKey: 'test-key' })).polling, true)).toBeUndefined();
  });
});
