import { catchError, defer, EMPTY, finalize, fromEvent, ignoreElements, interval, lastValueFrom, merge, type Observable, type SchedulerLike, takeUntil, tap } from 'rxjs';
import type { Client } from '../client/Client.js';
import { isClipstreamError } from '../errors/isClipstreamError.js';
import { exitCodeOf, outcomeOf, type JobRow } from './JobRow.js';
import type { Io } from './Output.js';
import { chooseRenderer, type Renderer } from './renderers.js';

/** Jobs of one API to follow. */
export interface JobGroup {
  readonly provider: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly client: Client<any>;
  readonly ids: readonly string[];
  /** The status the jobs are known to be at (just created): shown at once, and not asked for. */
  readonly since?: string;
}

/** Rows for the groups' jobs, in order, nothing seen yet. */
export function rowsFor(groups: readonly JobGroup[], now: number): JobRow[] {
  return groups.flatMap((group) =>
    group.ids.map((id) => ({
      provider: group.provider,
      id,
      statuses: group.client.statuses,
      status: group.since,
      job: undefined,
      startedAt: now,
      endedAt: undefined,
      error: undefined,
      retrying: undefined,
    })),
  );
}

/**
 * Watches every row's job on its own (one job's error does not stop the
 * others; the client still batches them), updating rows and the renderer,
 * with a tick every 250 ms for elapsed times. Completes when every job has
 * ended; unsubscribing stops every watch and its requests.
 */
export function followJobs(
  groups: readonly JobGroup[],
  rows: readonly JobRow[],
  renderer: Renderer,
  options: { until?: string; timeout?: number; scheduler: SchedulerLike },
): Observable<never> {
  const groupOf = new Map(groups.flatMap((group) => group.ids.map((id) => [`${group.provider}/${id}`, group] as const)));
  const now = () => options.scheduler.now();
  const rowOf = new Map(rows.map((row) => [`${row.provider}/${row.id}`, row] as const));
  const watches = rows.map((row) => {
    const { client, since } = groupOf.get(`${row.provider}/${row.id}`)!;
    const watchOptions = {
      ...(options.until === undefined ? {} : { until: options.until }),
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      ...(since === undefined ? {} : { since }),
    };
    const end = () => {
      row.endedAt = now();
      renderer.update(row);
    };
    // Ended only by completing or failing: unsubscribing (Ctrl-C) leaves the row running.
    return client.watch(row.id, watchOptions).pipe(
      tap({
        next: (job: unknown) => {
          const status = row.statuses.statusOf(job);
          row.status = status;
          row.job = job;
          row.reason = status !== undefined && row.statuses.isFailure(status) ? client.provider.failureReason(job) : undefined;
          row.retrying = undefined;
          renderer.update(row);
        },
        complete: end,
      }),
      catchError((error: unknown) => {
        row.error = error instanceof Error ? error : new Error(String(error));
        end();
        return EMPTY;
      }),
    );
  });
  return defer(() => {
    const ticker = interval(250, options.scheduler).subscribe(() => renderer.tick());
    const retrying = groups.map((group) =>
      group.client.retries$.subscribe(({ ids, error, attempt }) => {
        const why = isClipstreamError(error, 'HttpError') ? String(error.status) : isClipstreamError(error, 'NetworkError') ? error.reason : error.name;
        for (const id of ids) {
          const row = rowOf.get(`${group.provider}/${id}`);
          if (row === undefined || row.endedAt !== undefined) continue;
          row.retrying = `retrying (${why}, attempt ${attempt + 1})`;
          renderer.update(row);
        }
      }),
    );
    return merge(...watches).pipe(
      ignoreElements(),
      finalize(() => {
        ticker.unsubscribe();
        for (const subscription of retrying) subscription.unsubscribe();
      }),
    );
  });
}

/**
 * Follows the jobs until every one has ended, or until `signal` aborts (Ctrl-C),
 * then draws the last frame. Resolves with whether it was interrupted.
 */
export async function followToTheEnd(
  groups: readonly JobGroup[],
  rows: readonly JobRow[],
  renderer: Renderer,
  options: { until?: string; timeout?: number; scheduler: SchedulerLike },
  signal: AbortSignal,
): Promise<boolean> {
  // Errors are caught per job, so this ends when every job has, or on abort.
  await lastValueFrom(followJobs(groups, rows, renderer, options).pipe(takeUntil(fromEvent(signal, 'abort'))), { defaultValue: undefined });
  renderer.end();
  return signal.aborted;
}

/**
 * `watch` and `generate` after their jobs are known: follows them to the end
 * (a table, JSON lines or log lines, see `chooseRenderer`), then says on
 * stderr which could not be watched. Resolves with the exit code.
 */
export async function followAndReport(
  io: Io,
  groups: readonly JobGroup[],
  options: { until?: string; timeout?: number; json: boolean; scheduler: SchedulerLike },
  signal: AbortSignal,
): Promise<number> {
  const { scheduler } = options;
  const rows = rowsFor(groups, scheduler.now());
  const renderer = chooseRenderer(io, rows, () => scheduler.now(), options.json, 'json');
  if (await followToTheEnd(groups, rows, renderer, options, signal)) {
    const running = rows.filter((row) => outcomeOf(row) === 'running').length;
    io.stderr.write(`clipstream: interrupted with ${running} of ${rows.length} jobs still running\n`);
    return 130;
  }
  for (const row of rows) {
    if (outcomeOf(row) === 'error') io.stderr.write(`clipstream: ${row.id}: ${row.error!.message}\n`);
  }
  return exitCodeOf(rows);
}
