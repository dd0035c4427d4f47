import { ConfigError } from '../errors/ConfigError.js';
import { describe } from '../internal/validate.js';
import { type Random, seededRandom } from './spec/random.js';

/**
 * What can go wrong with a fetch request:
 * - `500`, `502`, `503`, `429`: that status with a JSON error body at once
 *   (`503` and `429` with `Retry-After`);
 * - `drop`: the connection is closed without an answer;
 * - `slow`: the answer comes `slowBy` ms late;
 * - `truncate`: the answer's body breaks off halfway under its full `Content-Length`;
 * - `malformed`: a 200 whose body is not JSON;
 * - `stale`: one job in the answer is reported at its previous status, once.
 */
export type FaultKind = '500' | '502' | '503' | '429' | 'drop' | 'slow' | 'truncate' | 'malformed' | 'stale';

export const faultKinds: readonly FaultKind[] = ['500', '502', '503', '429', 'drop', 'slow', 'truncate', 'malformed', 'stale'];

/** Fault injection, by script, by rate, or both (the script first). Fetch requests only; creates never fail. */
export interface FaultOptions {
  /** Faults for the first fetch requests, in order of arrival; `null` for a request that goes well. */
  script?: ReadonlyArray<FaultKind | null>;
  /** Share of fetch requests (after the script) that get a fault. @default 0 */
  rate?: number;
  /** Which faults the rate draws from, equally or by weight. @default every kind, equally */
  kinds?: readonly FaultKind[] | Partial<Record<FaultKind, number>>;
  /** Seed of the draws. @default the simulator's seed */
  seed?: number;
  /** `Retry-After` of `429` and `503`, in whole seconds, not scaled by `timeScale`; 0 for fast tests. @default 1 */
  retryAfter?: number;
  /** Delay of `slow`, in ms (before `timeScale`). @default 5000 */
  slowBy?: number;
}

/** The literal defaults of {@link FaultOptions} (each `@default` is checked against this object by a test). */
export const faultDefaults = { rate: 0, retryAfter: 1, slowBy: 5_000 } as const;

/** Every fault option, for the check of unknown ones. */
export const faultKeys = ['script', 'rate', 'kinds', 'seed', 'retryAfter', 'slowBy'];

/** Decides the fault of each fetch request, in order. */
export function faultPlan(options: FaultOptions | undefined, seed: number): () => FaultKind | undefined {
  if (options?.script !== undefined && !Array.isArray(options.script)) throw new ConfigError('faults.script', `expected an array of faults, got ${describe(options.script)}`);
  const script = [...(options?.script ?? [])];
  for (const kind of script) {
    if (kind !== null && !faultKinds.includes(kind)) throw new ConfigError('faults.script', `unknown fault ${JSON.stringify(kind)}; expected one of ${faultKinds.join(', ')}`);
  }
  const rate = options?.rate ?? faultDefaults.rate;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new ConfigError('faults.rate', `expected a number in [0, 1], got ${String(rate)}`);
  const weights = weightsOf(options?.kinds);
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  const random: Random = seededRandom(options?.seed ?? seed);
  let index = 0;
  return () => {
    const scripted = index < script.length ? script[index] : undefined;
    index += 1;
    if (index <= script.length) return scripted ?? undefined;
    if (rate === 0 || random() >= rate) return undefined;
    let draw = random() * total;
    for (const [kind, weight] of weights) {
      if ((draw -= weight) < 0) return kind;
    }
    return weights[weights.length - 1]![0];
  };
}

function weightsOf(kinds: FaultOptions['kinds']): Array<[FaultKind, number]> {
  const entries: Array<[FaultKind, number]> = Array.isArray(kinds)
    ? kinds.map((kind) => [kind, 1])
    : kinds
      ? (Object.entries(kinds) as Array<[FaultKind, number]>)
      : faultKinds.map((kind) => [kind, 1]);
  for (const [kind, weight] of entries) {
    if (!faultKinds.includes(kind)) throw new ConfigError('faults.kinds', `unknown fault ${JSON.stringify(kind)}; expected one of ${faultKinds.join(', ')}`);
    if (typeof weight !== 'number' || !(weight >= 0)) throw new ConfigError(`faults.kinds.${kind}`, 'expected a weight of at least 0');
  }
  if (entries.length === 0 || entries.every(([, weight]) => weight === 0)) throw new ConfigError('faults.kinds', 'no fault to draw: every weight is 0');
  return entries;
}
