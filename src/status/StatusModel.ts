/**
 * The statuses of one kind of job, in priority order, with what the APIs
 * say about them: which end a job (terminal), which of those are failures,
 * which other spellings mean the same status, and where a job carries it.
 *
 * `S` is the canonical status, `A` an accepted alternative spelling.
 * The operators of clipstream take a model so they work on any Observable
 * of jobs: `jobs$.pipe(atLeast(sunoStatuses, 'streaming'))`.
 */
export interface StatusModel<S extends string = string, A extends string = string, F extends S = S> {
  /** Name used in messages: `"Suno"`, `"Luma"`. */
  readonly name: string;
  /** Canonical statuses, lowest priority first. */
  readonly statuses: readonly S[];
  /** Statuses after which a job never changes again. */
  readonly terminal: readonly S[];
  /** Terminal statuses that mean the job failed. The APIs cannot wait for these. */
  readonly failures: readonly F[];
  /** Alternative spellings accepted on input, and what they mean. */
  readonly aliases: Readonly<Record<A, S>>;
  /** Job fields holding the status, tried in order (`["state", "status"]` for Luma). */
  readonly fields: readonly string[];
  /** The canonical status for a name or alias, `undefined` for anything else. */
  parse(name: unknown): S | undefined;
  /** Position in the priority order: 0 for the lowest status. */
  priority(status: S): number;
  isTerminal(status: S): boolean;
  isFailure(status: S): boolean;
  /** The canonical status of a job, read from `fields`; `undefined` if absent or unknown. */
  statusOf(job: unknown): S | undefined;
}

/** Any name a model accepts: a canonical status or an alias. */
export type StatusName<M> = M extends StatusModel<infer S, infer A, infer _F> ? S | A : never;

/** The names a model accepts that the APIs can wait for: every name but the failures. */
export type WaitableStatus<M> = M extends StatusModel<infer S, infer A, infer F> ? Exclude<S, F> | A : never;

/**
 * Builds a frozen status model from its description: the one place that
 * says what an API's statuses are. Use it for a provider of your own
 * (see docs/providers.md).
 *
 * ## Example
 * ```ts
 * import { defineStatusModel } from 'clipstream';
 *
 * const klingStatuses = defineStatusModel({
 *   name: 'Kling',
 *   statuses: ['submitted', 'processing', 'succeed', 'failed'],
 *   terminal: ['succeed', 'failed'],
 *   failures: ['failed'],
 *   aliases: { success: 'succeed' },
 *   fields: ['task_status'],
 * });
 * ```
 */
export function defineStatusModel<S extends string, A extends string = never, F extends S = never>(spec: {
  name: string;
  statuses: readonly S[];
  terminal: readonly S[];
  failures: readonly F[];
  aliases?: Record<A, S>;
  fields: readonly string[];
}): StatusModel<S, A, F> {
  const rank = new Map<string, number>(spec.statuses.map((status, index) => [status, index]));
  const aliasTable = (spec.aliases ?? {}) as Record<A, S>;
  const aliases = new Map<string, S>(Object.entries(aliasTable) as [string, S][]);
  const parse = (name: unknown): S | undefined => {
    if (typeof name !== 'string') return undefined;
    if (rank.has(name)) return name as S;
    return aliases.get(name);
  };
  const model: StatusModel<S, A, F> = {
    name: spec.name,
    statuses: Object.freeze([...spec.statuses]),
    terminal: Object.freeze([...spec.terminal]),
    failures: Object.freeze([...spec.failures]),
    aliases: Object.freeze({ ...aliasTable }),
    fields: Object.freeze([...spec.fields]),
    parse,
    priority: (status) => {
      const value = rank.get(status);
      if (value === undefined) throw new TypeError(`"${status}" is not a ${spec.name} status`);
      return value;
    },
    isTerminal: (status) => spec.terminal.includes(status),
    isFailure: (status) => (spec.failures as readonly string[]).includes(status),
    statusOf: (job) => parse(statusFieldValue(spec.fields, job)),
  };
  return Object.freeze(model);
}

/** What a job holds in the first of `fields` present (neither undefined nor null), as sent; undefined if none is. */
export function statusFieldValue(fields: readonly string[], job: unknown): unknown {
  if (typeof job !== 'object' || job === null) return undefined;
  for (const field of fields) {
    const value = (job as Record<string, unknown>)[field];
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}
