import { ConfigError } from '../../errors/ConfigError.js';
import type { StatusModel } from '../../status/StatusModel.js';
import { between, type Random } from './random.js';

/** A job's life: each status and when it starts, in milliseconds after creation (before `timeScale`). */
export type Timeline = ReadonlyArray<readonly [status: string, at: number]>;

/**
 * A life through `steps` (each status with the range of its wait after the
 * one before, in ms), or, for a share `failureRate` of jobs, one that fails
 * with `failure` at a random point after the first `firstFailable` steps.
 */
export function randomLife(
  random: Random,
  steps: ReadonlyArray<readonly [status: string, minWait: number, maxWait: number]>,
  failureRate: number,
  failure: string,
  firstFailable: number,
): Timeline {
  let at = 0;
  const timeline: Array<[string, number]> = steps.map(([status, min, max]) => [status, (at += between(random, min, max))]);
  if (random() < failureRate) {
    const failAfter = between(random, firstFailable, timeline.length - 2);
    const [, start] = timeline[failAfter]!;
    const next = timeline[failAfter + 1]![1];
    timeline.splice(failAfter + 1, timeline.length, [failure, between(random, start + 1, next)]);
  }
  return timeline;
}

/**
 * Checks a scripted timeline: known statuses, in rising priority, times not
 * going back, nothing after a terminal status. It need not end at one: a job
 * stuck at `queued` is a life worth testing.
 */
export function checkTimeline(model: StatusModel<string, string>, timeline: unknown, where: string): Timeline {
  if (!Array.isArray(timeline) || timeline.length === 0) throw new ConfigError(where, 'expected a non-empty list of [status, at] pairs');
  let lastPriority = -1;
  let lastAt = -Infinity;
  return timeline.map((entry: unknown, index) => {
    const [status, at] = Array.isArray(entry) ? (entry as [unknown, unknown]) : [];
    const canonical = model.parse(status);
    if (canonical === undefined) throw new ConfigError(`${where}[${index}]`, `${JSON.stringify(status)} is not a ${model.name} status`);
    if (typeof at !== 'number' || !Number.isFinite(at) || at < lastAt || at < 0) {
      throw new ConfigError(`${where}[${index}]`, `time ${String(at)} must be a number of ms, not below the one before`);
    }
    const priority = model.priority(canonical);
    if (priority <= lastPriority) throw new ConfigError(`${where}[${index}]`, `"${canonical}" does not rise above the status before it`);
    if (lastPriority >= 0 && model.isTerminal(model.statuses[lastPriority]!)) {
      throw new ConfigError(`${where}[${index}]`, 'nothing can follow a terminal status');
    }
    lastPriority = priority;
    lastAt = at;
    return [canonical, at] as const;
  });
}
