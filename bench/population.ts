// mulberry32, as the simulator seeds its lives: the same seed gives the same population in every process.
import { seededRandom } from '../src/simulator/spec/random.js';

/**
 * The benchmark's jobs: Suno-like lives from a fixed seed. Each job is
 * submitted at creation, queued at 2.5–4 s, streaming at 5–10 s and complete
 * at 12–27 s (times after creation), all scaled by `lifeScale`.
 */
export interface BenchJob {
  readonly id: string;
  readonly timeline: ReadonlyArray<readonly [string, number]>;
}


export function population(size: number, options: { seed?: number; lifeScale?: number; prefix?: string } = {}): BenchJob[] {
  const random = seededRandom(options.seed ?? 2026);
  const scale = options.lifeScale ?? 1;
  const between = (min: number, max: number) => Math.round((min + random() * (max - min)) * scale);
  return Array.from({ length: size }, (_, index) => ({
    id: `${options.prefix ?? 'bench'}-${String(index).padStart(5, '0')}`,
    timeline: [
      ['submitted', 0],
      ['queued', between(2_500, 4_000)],
      ['streaming', between(5_000, 10_000)],
      ['complete', between(12_000, 27_000)],
    ],
  }));
}
