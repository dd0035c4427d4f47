import { asyncScheduler, type SchedulerLike } from 'rxjs';
import { ConfigError } from '../errors/ConfigError.js';
import { describe, duration, func, integer, number, optionsObject, positive, rejectUnknownKeys, share } from '../internal/validate.js';
import { simulatedApi } from './apis/index.js';
import { faultDefaults, faultKeys, faultPlan, type FaultKind, type FaultOptions } from './faults.js';
import { withOwnApis } from './router.js';
import type { SimulatedApiSpec } from './spec/SimulatedApiSpec.js';
import { checkTimeline, type Timeline } from './spec/timelines.js';

/** Options of a simulation. Durations in milliseconds, before `timeScale`. */
export interface SimulationOptions {
  /** The bearer key the simulator accepts. @default "sim-key" */
  apiKey?: string;
  /**
   * Multiplies every duration of the simulated world: 0.001 runs a two-minute
   * life in 120 ms. Not `Retry-After`, which is whole seconds on the wire (see `faults.retryAfter`).
   * @default 1
   */
  timeScale?: number;
  /** Seed of every random draw: job ids, lives, faults. @default 1 */
  seed?: number;
  /** Share of created jobs that end in failure (`error`, `failed`). @default 0.05 */
  failureRate?: number;
  /** A fixed life for jobs created through the API, by API name, instead of a random one. */
  timelines?: Readonly<Record<string, Timeline>>;
  /** Jobs that exist from the start, each with its scripted life. */
  jobs?: ReadonlyArray<{ id: string; api: string; timeline: Timeline }>;
  faults?: FaultOptions;
  /** How long a long-poll is held, by API name. @default each API's documented timeout: 120000 for Suno, 30000 for Luma */
  longPollTimeout?: Readonly<Record<string, number>>;
  /** Most ids one fetch request may carry, by API name. @default each API's: 6 for the AI/ML API, 2 for sunoapi.com */
  maxIds?: Readonly<Record<string, number>>;
  /** Requests kept in the log (counters cover all): a whole number, 0 for none, `Infinity` for all. @default 10000 */
  logLimit?: number;
  /** Clock and timers. @default asyncScheduler */
  scheduler?: SchedulerLike;
  /**
   * APIs of your own to simulate beside the built-in ones: a
   * `SimulatedApiSpec` each, named as its provider is (docs/providers.md
   * has one for the Kling example). A name may not repeat.
   */
  apis?: readonly SimulatedApiSpec[];
  /**
   * Delivers a push (Luma's `callback_url`): the job, as JSON, to `url`.
   * @default a POST with the platform's fetch
   */
  callback?: (url: string, job: unknown) => void;
}

/** The literal defaults of {@link SimulationOptions} (each `@default` is checked against this object by a test). */
export const simulationDefaults = { apiKey: 'sim-key', timeScale: 1, seed: 1, failureRate: 0.05, logLimit: 10_000 } as const;


/** Every option of a simulation, for the check of unknown ones. */
export const simulationKeys = ['apiKey', 'timeScale', 'seed', 'failureRate', 'timelines', 'jobs', 'faults', 'longPollTimeout', 'maxIds', 'logLimit', 'scheduler', 'callback', 'apis'];

/** Simulation options checked, with every default filled in; the scripted `jobs` are checked where they are added. */
export interface SimulationSettings {
  readonly apis: readonly SimulatedApiSpec[];
  readonly scheduler: SchedulerLike;
  readonly apiKey: string;
  readonly timeScale: number;
  readonly seed: number;
  readonly failureRate: number;
  /** How long a long-poll is held, by API name, before `timeScale`; none for a polled API. */
  readonly longPoll: ReadonlyMap<string, number>;
  readonly maxIds: ReadonlyMap<string, number>;
  readonly timelines: ReadonlyMap<string, Timeline>;
  readonly logLimit: number;
  readonly callback: (url: string, job: unknown) => void;
  /** The fault of each fetch request, in order of arrival. */
  readonly nextFault: () => FaultKind | undefined;
  /** `Retry-After` of a simulated 429 or 503, as sent. */
  readonly retryAfter: string;
  /** Delay of a `slow` answer, in ms of the simulator's clock (scaled). */
  readonly slowBy: number;
}

/** Checks simulation options (a `ConfigError` naming the first wrong one) and fills in the defaults. */
export function resolveSimulationOptions(options: SimulationOptions): SimulationSettings {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', `expected an object of simulation options, got ${describe(options)}`);
  rejectUnknownKeys('options', options, simulationKeys);
  const apis = withOwnApis(options.apis);
  const apiKey = options.apiKey ?? simulationDefaults.apiKey;
  if (typeof apiKey !== 'string' || apiKey === '') throw new ConfigError('apiKey', 'expected a non-empty string');
  const seed = seedOption('seed', options.seed, simulationDefaults.seed);
  const longPoll = new Map<string, number>();
  const maxIds = new Map<string, number>();
  for (const api of apis) {
    if (api.longPollTimeout !== undefined) longPoll.set(api.name, api.longPollTimeout);
    maxIds.set(api.name, api.maxIds);
  }
  for (const [name, value] of Object.entries(options.longPollTimeout ?? {})) {
    simulatedApi(name, `longPollTimeout.${name}`, apis);
    longPoll.set(name, positive(`longPollTimeout.${name}`, value, 1));
  }
  for (const [name, value] of Object.entries(options.maxIds ?? {})) {
    simulatedApi(name, `maxIds.${name}`, apis);
    if (!Number.isInteger(value) || value < 1) throw new ConfigError(`maxIds.${name}`, `expected a whole number of at least 1, got ${describe(value)}`);
    maxIds.set(name, value);
  }
  const timelines = new Map<string, Timeline>();
  for (const [name, timeline] of Object.entries(options.timelines ?? {})) {
    const api = simulatedApi(name, `timelines.${name}`, apis);
    timelines.set(name, checkTimeline(api.statuses, timeline, `timelines.${name}`));
  }
  const faults = optionsObject('faults', options.faults, faultKeys) as FaultOptions;
  const timeScale = positive('timeScale', options.timeScale, simulationDefaults.timeScale);
  return {
    apis,
    scheduler: options.scheduler ?? asyncScheduler,
    apiKey,
    timeScale,
    seed,
    failureRate: share('failureRate', options.failureRate, simulationDefaults.failureRate),
    longPoll,
    maxIds,
    timelines,
    logLimit: integer('logLimit', options.logLimit, simulationDefaults.logLimit, 0, Infinity),
    callback: func('callback', options.callback, postJob),
    nextFault: faultPlan(faults, seedOption('faults.seed', faults.seed, seed + 1)),
    retryAfter: String(integer('faults.retryAfter', faults.retryAfter, faultDefaults.retryAfter, 0)),
    // Checked as given, then as the timer will hold it (after timeScale).
    slowBy: duration('faults.slowBy', number('faults.slowBy', faults.slowBy, faultDefaults.slowBy) * timeScale, 0),
  };
}

/** A seed: any finite number (the generator takes it modulo 2^32), or `fallback` when absent. */
function seedOption(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ConfigError(field, `expected a number, got ${describe(value)}`);
  return value;
}

/** The default push: the job as JSON, POSTed with the platform's fetch; nobody waits on it, and a failure is dropped. */
function postJob(url: string, job: unknown): void {
  void fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(job) }).then(
    (response) => response.body?.cancel(),
    () => undefined,
  );
}
