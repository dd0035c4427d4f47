import type { StatusModel } from '../status/StatusModel.js';

/** One watched job, as the CLI shows it. */
export interface JobRow {
  readonly provider: string;
  readonly id: string;
  readonly statuses: StatusModel<string, string>;
  /** Canonical status last seen. */
  status: string | undefined;
  /** The job as last received. */
  job: unknown;
  readonly startedAt: number;
  /** When it stopped changing: terminal, `--until` reached, or an error. */
  endedAt: number | undefined;
  /** Why it could not be watched to the end. */
  error: Error | undefined;
  /** The reason a failed job gives (the provider's `failureReason`), once it failed. */
  reason?: string | undefined;
  /** While a request for it is being tried again: `retrying (503, attempt 3)`. Cleared by the next transition. */
  retrying: string | undefined;
}

/** How a row ended: for the exit code and the summary. */
export function outcomeOf(row: JobRow): 'running' | 'done' | 'failed' | 'error' {
  if (row.error) return 'error';
  if (row.endedAt === undefined) return 'running';
  return row.status !== undefined && row.statuses.isFailure(row.status) ? 'failed' : 'done';
}

/** 0 when every job reached its target, 1 when some failed, 3 when some could not be watched. */
export function exitCodeOf(rows: readonly JobRow[]): 0 | 1 | 3 {
  const outcomes = rows.map(outcomeOf);
  if (outcomes.includes('error') || outcomes.includes('running')) return 3;
  return outcomes.includes('failed') ? 1 : 0;
}
