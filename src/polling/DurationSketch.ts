/**
 * How long a status lasts, learned: a histogram over fixed geometric buckets
 * (100 ms to about 29 hours, each 19 % wider than the last), so its memory is
 * the same however many jobs it has seen. Each new duration takes a share
 * `learningRate` of the weight and the past the rest, so a shift (a slower
 * model, a busy day) shows within a few jobs.
 */
const first = 100;
const ratio = 2 ** 0.25;
const buckets = 80;
const logRatio = Math.log(ratio);

/** The bucket of `ms`: 0 holds everything below 100·ratio ms, the last everything above its start. */
function bucketOf(ms: number): number {
  if (!(ms > first)) return 0;
  return Math.min(buckets - 1, Math.floor(Math.log(ms / first) / logRatio));
}
const lowerBound = (bucket: number) => (bucket === 0 ? 0 : first * ratio ** bucket);
const upperBound = (bucket: number) => first * ratio ** (bucket + 1);

/** Durations after which the prior has no say: it counts for 1 − observed/4 of the weight until then. */
const priorFor = 4;

export class DurationSketch {
  /** What was learned: each duration takes `learningRate` of the weight (the first all of it). */
  private readonly learned = new Float64Array(buckets);
  /** The prior, a guess the provider declares; empty without one. */
  private readonly prior = new Float64Array(buckets);
  private hasPrior = false;
  /** Durations seen (not the prior). */
  observed = 0;

  /** @param learningRate the share of the weight each new duration takes, in (0, 1]. */
  constructor(private readonly learningRate: number) {}

  /** A prior: a duration between `low` and `high` ms, spread evenly in log-space. */
  seed(low: number, high: number): this {
    const from = bucketOf(low);
    const to = Math.max(from, bucketOf(high));
    this.prior.fill(0);
    for (let bucket = from; bucket <= to; bucket++) this.prior[bucket] = 1 / (to - from + 1);
    this.hasPrior = true;
    return this;
  }

  /**
   * One more duration, in ms. It takes `share` of the learned weight (all of
   * it for the first); `1 / n` for the n-th of a sample makes an exact
   * histogram of it.
   */
  add(ms: number, share = this.learningRate): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const keep = this.observed === 0 ? 0 : 1 - share;
    for (let bucket = 0; bucket < buckets; bucket++) this.learned[bucket]! *= keep;
    this.learned[bucketOf(ms)]! += 1 - keep;
    this.observed += 1;
  }

  /** The share of the weight still on the prior: 1 before any duration, 0 after a few (or without a prior). */
  get priorShare(): number {
    return this.hasPrior ? Math.max(0, 1 - this.observed / priorFor) : 0;
  }

  /** Whether there is anything to read: a prior or a duration. */
  get empty(): boolean {
    return !this.hasPrior && this.observed === 0;
  }

  /** The duration below which a share `p` of the weight lies, interpolated within its bucket (in log-space). */
  quantile(p: number): number {
    if (this.empty) return Number.NaN;
    const fromPrior = this.priorShare;
    const wanted = Math.min(1, Math.max(0, p));
    let below = 0;
    for (let bucket = 0; bucket < buckets; bucket++) {
      const weight = fromPrior * this.prior[bucket]! + (1 - fromPrior) * this.learned[bucket]!;
      if (weight > 0 && below + weight >= wanted) {
        const share = (wanted - below) / weight;
        const low = lowerBound(bucket);
        return bucket === 0 ? upperBound(0) * share : low * (upperBound(bucket) / low) ** share;
      }
      below += weight;
    }
    return upperBound(buckets - 1);
  }
}
