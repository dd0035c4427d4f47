import { ConfigError } from '../errors/ConfigError.js';
import { describe, duration, number, optionsObject } from '../internal/validate.js';
import type { PollingBudget } from './learnedPolicy.js';

/**
 * Learned polling, for APIs that cannot hold a request: each job is polled
 * when jobs like it usually change status, learned from the jobs this client
 * has watched (per model where jobs name one), starting from the provider's
 * typical durations. Durations in milliseconds.
 */
export interface LearnedPollingOptions {
  /**
   * The budget: requests per status a job passes through, on average. More
   * is sooner news for more requests; 1 polls about when each status has
   * usually ended.
   * @default 1.5
   */
  pollsPerStatus?: number;
  /** Never two polls of one job closer than this. At least 10. @default 1000 */
  floor?: number;
  /** Never a longer pause than this, however long a status lasts. @default 15000 */
  maxPause?: number;
  /** The share of the learned weight each new duration takes: higher follows a change sooner, and noise too. @default 0.25 */
  learningRate?: number;
}

/** The defaults of {@link LearnedPollingOptions}. */
export const learnedPollingDefaults = { pollsPerStatus: 1.5, floor: 1_000, maxPause: 15_000, learningRate: 0.25 } as const;

/** Learned polling's budget and learning rate, checked. */
export type LearnedBudget = PollingBudget & { readonly learningRate: number };

/** The polling options as the client passes them: `learn` as given, and which fixed-schedule options were given. */
export interface GivenPolling {
  readonly learn: unknown;
  readonly fixed: readonly string[];
}

/**
 * Learned polling's budget, or undefined for the fixed schedule: it learns by
 * default where the API cannot wait and no fixed schedule is asked for.
 */
export function resolveLearning(polling: GivenPolling, canWait: boolean): LearnedBudget | undefined {
  const { learn, fixed } = polling;
  if (learn !== undefined && learn !== true && learn !== false && (typeof learn !== 'object' || learn === null || Array.isArray(learn))) {
    throw new ConfigError('options.polling.learn', `expected true, false or an object of learned polling options, got ${describe(learn)}`);
  }
  if (learn !== undefined && learn !== false && fixed.length > 0) {
    throw new ConfigError('options.polling.learn', `learned polling chooses its own pauses: give it or ${fixed.join(', ')}, not both`);
  }
  if (learn === false || (learn === undefined && (fixed.length > 0 || canWait))) return undefined;
  if (canWait && learn !== undefined) {
    throw new ConfigError('options.polling.learn', 'this API holds each request until the job changes (a long-poll): there is nothing to learn');
  }
  const given = optionsObject('options.polling.learn', learn === true || learn === undefined ? {} : learn, ['pollsPerStatus', 'floor', 'maxPause', 'learningRate']);
  const floor = duration('options.polling.learn.floor', given.floor, learnedPollingDefaults.floor, { min: 10 });
  const maxPause = duration('options.polling.learn.maxPause', given.maxPause, Math.max(learnedPollingDefaults.maxPause, floor), { min: floor });
  const pollsPerStatus = number('options.polling.learn.pollsPerStatus', given.pollsPerStatus, learnedPollingDefaults.pollsPerStatus, 1);
  if (pollsPerStatus > 20) throw new ConfigError('options.polling.learn.pollsPerStatus', `expected at most 20, got ${pollsPerStatus}`);
  const learningRate = number('options.polling.learn.learningRate', given.learningRate, learnedPollingDefaults.learningRate, 0);
  if (!(learningRate > 0 && learningRate <= 1)) throw new ConfigError('options.polling.learn.learningRate', `expected a number above 0 and at most 1, got ${learningRate}`);
  return { pollsPerStatus, floor, maxPause, learningRate };
}
