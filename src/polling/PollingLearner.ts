import { DurationSketch } from './DurationSketch.js';
import { nextPollIn } from './learnedPolicy.js';
import type { LearnedBudget } from './learningOptions.js';

/** A status's typical durations, lowest to highest, in ms: the prior a provider declares. */
export type TypicalDurations = Readonly<Record<string, readonly [low: number, high: number]>>;

/** The prior of a status no provider describes: seconds to a few minutes, as the seed documents say. */
export const unknownDurations: readonly [number, number] = [1_000, 180_000];

/** The most models one client learns apart; a job of another model shares the learning of the oldest model's slot. */
const maxModels = 32;

/**
 * What one client learned of how long its API's jobs stay in each status,
 * per model where jobs name one (`job.model`). Bounded: a sketch per status
 * per model, at most {@link maxModels} models.
 */
export class PollingLearner {
  private readonly sketches = new Map<string, Map<string, DurationSketch>>();

  constructor(
    private readonly prior: TypicalDurations,
    private readonly budget: LearnedBudget,
  ) {}

  /** The pause before the next poll of a job of `model` in `status` (see {@link nextPollIn}). */
  nextPause(model: string, status: string, inStatusFor: number, sinceLastPoll: number, untilDeadline: number | undefined): number | undefined {
    return nextPollIn({ inStatusFor, sinceLastPoll, durations: this.durations(model, status), budget: this.budget, untilDeadline });
  }

  /** The model a job names, as learning keys it: its `model` field if it is a short string, else "". */
  modelOf(job: unknown): string {
    const model = typeof job === 'object' && job !== null ? (job as { model?: unknown }).model : undefined;
    return typeof model === 'string' && model.length <= 100 ? model : '';
  }

  /**
   * From when a poll due at `dueAt` may go early, in a request another job's
   * poll sends with room to spare: half a floor before, and never closer
   * than the floor to the job's last poll (started at `lastPollAt`).
   */
  earlyFrom(dueAt: number, lastPollAt: number): number {
    return Math.max(dueAt - this.budget.floor / 2, lastPollAt + this.budget.floor);
  }

  /** Pauses fall on a grid of a quarter of the floor (at most 250 ms), so jobs due at nearly the same time share a request. */
  get grid(): number {
    return Math.min(250, this.budget.floor / 4);
  }

  /** The sketch of `status` for jobs of `model` (created with the prior on first use). */
  durations(model: string, status: string): DurationSketch {
    let byStatus = this.sketches.get(model);
    if (byStatus === undefined) {
      if (this.sketches.size >= maxModels) {
        // Drop the first model learned: memory stays bounded however many models jobs name.
        this.sketches.delete(this.sketches.keys().next().value!);
      }
      byStatus = new Map();
      this.sketches.set(model, byStatus);
    }
    let sketch = byStatus.get(status);
    if (sketch === undefined) {
      const [low, high] = this.prior[status] ?? unknownDurations;
      sketch = new DurationSketch(this.budget.learningRate).seed(low, high);
      byStatus.set(status, sketch);
    }
    return sketch;
  }

  /** A job of `model` stayed `ms` in `status`. */
  record(model: string, status: string, ms: number): void {
    this.durations(model, status).add(ms);
  }

  /** How many sketches it holds: bounded by models × statuses. */
  get size(): number {
    let size = 0;
    for (const byStatus of this.sketches.values()) size += byStatus.size;
    return size;
  }
}
