import { lumaStatuses } from '../status/lumaStatuses.js';
import type { StatusModel } from '../status/StatusModel.js';
import { sunoStatuses } from '../status/sunoStatuses.js';
import { between, type Random } from './random.js';

/** The three simulated APIs. */
export type SimulatedApi = 'aiml-suno' | 'aiml-luma' | 'sunoapi';

/** A job's life: each status and when it starts, in milliseconds after creation (before `timeScale`). */
export type Timeline = ReadonlyArray<readonly [status: string, at: number]>;

export function statusModelOf(api: SimulatedApi): StatusModel<string, string> {
  return api === 'aiml-luma' ? lumaStatuses : sunoStatuses;
}

/**
 * A random life with realistic durations: Suno clips are submitted, queued for
 * 5–40 s, stream for 30–120 s and complete; Luma generations queue for 5–60 s
 * and dream for 30–180 s. A share `failureRate` of jobs fails instead, at a
 * random point of its life.
 */
export function randomTimeline(api: SimulatedApi, random: Random, failureRate: number): Timeline {
  const steps: Array<[string, number]> =
    api === 'aiml-luma'
      ? [
          ['queued', 0],
          ['dreaming', between(random, 5_000, 60_000)],
          ['completed', between(random, 30_000, 180_000)],
        ]
      : [
          ['submitted', 0],
          ['queued', between(random, 1_000, 4_000)],
          ['streaming', between(random, 5_000, 40_000)],
          ['complete', between(random, 30_000, 120_000)],
        ];
  let at = 0;
  const timeline: Array<[string, number]> = steps.map(([status, wait]) => [status, (at += wait)]);
  if (random() < failureRate) {
    // Fails during one of the steps (not a Suno clip's brief `submitted`): replaces the rest of the life.
    const failAfter = between(random, api === 'aiml-luma' ? 0 : 1, timeline.length - 2);
    const [, start] = timeline[failAfter]!;
    const next = timeline[failAfter + 1]![1];
    timeline.splice(failAfter + 1, timeline.length, [api === 'aiml-luma' ? 'failed' : 'error', between(random, start + 1, next)]);
  }
  return timeline;
}

/**
 * Checks a scripted timeline: known statuses, in rising priority, times not
 * going back, nothing after a terminal status. It need not end at one: a job
 * stuck at `queued` is a life worth testing.
 */
export function checkTimeline(api: SimulatedApi, timeline: unknown, where: string): Timeline {
  const model = statusModelOf(api);
  if (!Array.isArray(timeline) || timeline.length === 0) throw new TypeError(`${where}: expected a non-empty list of [status, at] pairs`);
  let lastPriority = -1;
  let lastAt = -Infinity;
  return timeline.map((entry: unknown, index) => {
    const [status, at] = Array.isArray(entry) ? (entry as [unknown, unknown]) : [];
    const canonical = model.parse(status);
    if (canonical === undefined) throw new TypeError(`${where}[${index}]: ${JSON.stringify(status)} is not a ${model.name} status`);
    if (typeof at !== 'number' || !Number.isFinite(at) || at < lastAt || at < 0) {
      throw new TypeError(`${where}[${index}]: time ${String(at)} must be a number of ms, not below the one before`);
    }
    const priority = model.priority(canonical);
    if (priority <= lastPriority) throw new TypeError(`${where}[${index}]: "${canonical}" does not rise above the status before it`);
    if (lastPriority >= 0 && model.isTerminal(model.statuses[lastPriority]!)) {
      throw new TypeError(`${where}[${index}]: nothing can follow a terminal status`);
    }
    lastPriority = priority;
    lastAt = at;
    return [canonical, at] as const;
  });
}
