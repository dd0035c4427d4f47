import type { DurationSketch } from './DurationSketch.js';

/** What learned polling may spend, and its limits. Durations in ms. */
export interface PollingBudget {
  /**
   * Requests per status a job passes through, on average. The policy polls at
   * `2·pollsPerStatus − 1` points of the status's learned durations, each
   * holding an equal share of the jobs that leave it (more points: sooner
   * news, more requests).
   */
  readonly pollsPerStatus: number;
  /** Never two polls of a job closer than this. */
  readonly floor: number;
  /** Never a longer pause than this, however long the status has lasted. */
  readonly maxPause: number;
}

/** Everything the policy decides from: one job, one moment. */
export interface PollInput {
  /** How long the job has been in its status (estimated from the polls around its entry). */
  readonly inStatusFor: number;
  /** Since the last poll of the job started. */
  readonly sinceLastPoll: number;
  /** How long the status lasts, learned (with the provider's prior); undefined when nothing is known. */
  readonly durations: DurationSketch | undefined;
  readonly budget: PollingBudget;
  /** How long until the watch's deadline, if it has one: no poll is planned past it. */
  readonly untilDeadline?: number | undefined;
}

/** The share of jobs the last point covers: the slowest 2 % are left to the growing tail. */
const covered = 0.98;
/**
 * Past every point (a slower job than any learned), the pause is the spacing
 * of the last two points grown by this share of the time past the last one,
 * and at most this share of the time in status.
 */
const tailShare = 0.25;
/**
 * While the prior still holds more than {@link guessShare} of a status's
 * weight, a pause is also at most the floor plus {@link growthShare} of the
 * time in status: a wrong guess costs a few requests, not the news.
 */
const growthShare = 0.5;
const guessShare = 0.1;

/** The points of a status's durations at which jobs in it are polled, in ms since they entered it. */
export function pollPoints(durations: DurationSketch, budget: PollingBudget): number[] {
  const count = Math.max(1, Math.round(2 * budget.pollsPerStatus - 1));
  return Array.from({ length: count }, (_, index) => durations.quantile((covered * (index + 1)) / count));
}

/**
 * When to poll a job next, as a pause from now in ms; undefined when no poll
 * fits before the deadline. A pure function: the status's learned durations
 * and the budget in, a time out.
 *
 * The next poll is the first of the status's points (see {@link pollPoints})
 * still ahead and at least `floor` after the last poll: sparse where few jobs
 * change, dense where many do. Past the last point the polls go on at the
 * spacing of the last points and grow ({@link tailShare}), so a job just
 * slower than those learned is caught as soon as they are, and a slower day
 * in a few polls while it is learned (`floor` to `maxPause`). Until a few
 * durations outweigh the prior, the pauses also grow from the floor.
 */
export function nextPollIn(input: PollInput): number | undefined {
  const { budget, inStatusFor, sinceLastPoll, durations, untilDeadline } = input;
  const earliest = Math.max(0, budget.floor - sinceLastPoll);
  let pause: number | undefined;
  let lastPoint = 0;
  let pointBefore = 0;
  if (durations !== undefined && !durations.empty) {
    for (const point of pollPoints(durations, budget)) {
      pointBefore = lastPoint;
      lastPoint = point;
      if (point - inStatusFor >= earliest) {
        pause = point - inStatusFor;
        break;
      }
    }
  }
  pause ??= Math.min(tailShare * inStatusFor, lastPoint - pointBefore + tailShare * Math.max(0, inStatusFor - lastPoint));
  if (durations === undefined || durations.priorShare > guessShare) pause = Math.min(pause, budget.floor + growthShare * inStatusFor);
  pause = Math.max(earliest, Math.min(pause, budget.maxPause));
  if (untilDeadline !== undefined && pause > untilDeadline) return untilDeadline >= earliest ? untilDeadline : undefined;
  return pause;
}
