import { outcomeOf, type JobRow } from './JobRow.js';
import type { Io, Output } from './Output.js';

/** Shows watched jobs as they change. */
export interface Renderer {
  /** A job changed, or ended. */
  update(row: JobRow): void;
  /** Time passed: refresh elapsed times. */
  tick(): void;
  /** Everything ended. */
  end(): void;
}

/** A renderer that writes one line per transition (never a status twice for a row), made with `format`. */
function linePerTransition(out: Output, format: (row: JobRow, status: string) => string): Renderer {
  const printed = new Map<JobRow, string>();
  return {
    update(row) {
      if (row.error || row.status === undefined || printed.get(row) === row.status) return;
      printed.set(row, row.status);
      out.write(`${format(row, row.status)}\n`);
    },
    tick() {},
    end() {},
  };
}

/** One JSON object per line and transition, for pipes, jq and Node pipelines. */
export function jsonLines(out: Output, now: () => number): Renderer {
  return linePerTransition(out, (row, status) =>
    JSON.stringify({
      provider: row.provider,
      id: row.id,
      status,
      terminal: row.statuses.isTerminal(status),
      elapsed_ms: now() - row.startedAt,
      job: row.job,
    }),
  );
}

/** One plain line per transition: for logs where a live table cannot be drawn. */
export function logLines(out: Output, now: () => number): Renderer {
  return linePerTransition(
    out,
    (row, status) => `${formatElapsed(now() - row.startedAt).padStart(7)}  ${row.provider.padEnd(10)} ${row.id}  ${status}`,
  );
}

const ansi = {
  hideCursor: '\x1b[?25l',
  showCursor: '\x1b[?25h',
  clearLine: '\x1b[2K',
  up: (lines: number) => (lines > 0 ? `\x1b[${lines}F` : ''),
};

/**
 * A table redrawn in place on a terminal: a row per job with its status, a
 * progress bar through the status model and the elapsed time, then a summary.
 * Lines are cut to the terminal's width, and the table to its height (jobs
 * still running first, then "+N more"), because the redraw moves the cursor
 * up over the table and cannot reach lines scrolled off the top.
 */
export function liveTable(out: Output, rows: readonly JobRow[], now: () => number, color: boolean): Renderer {
  let drawn = 0;
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const providerWidth = Math.max(8, ...rows.map((row) => row.provider.length));
  const statusWidth = 10;
  // Ids get what the terminal leaves once the other columns and 30 for a reason are placed (a UUID
  // does not fit 80 columns with the rest): a cut id ends in "…", at least 8 characters before it.
  const fixed = providerWidth + statusWidth + 10 + 6 + 4 * 2;
  const idRoom = Math.max(9, (out.columns ?? 100) - 1 - fixed - 30);
  const idWidth = Math.min(Math.max(2, ...rows.map((row) => row.id.length)), idRoom);
  const shortId = (id: string) => ([...id].length <= idWidth ? id : `${[...id].slice(0, idWidth - 1).join('')}…`);

  const line = (row: JobRow): string => {
    const outcome = outcomeOf(row);
    const status = row.error ? 'error' : (row.status ?? '…');
    const elapsed = formatElapsed((row.endedAt ?? now()) - row.startedAt);
    const shown = status.padEnd(statusWidth);
    const coloured =
      outcome === 'error' || outcome === 'failed' ? paint('31', shown) : outcome === 'done' ? paint('32', shown) : paint('33', shown);
    const detail = row.error
      ? `  ${row.error.message.split('\n')[0]}`
      : row.reason
        ? `  ${paint('31', row.reason.split('\n')[0]!)}`
        : row.retrying
          ? `  ${paint('33', row.retrying)}`
          : '';
    return `${row.provider.padEnd(providerWidth)}  ${shortId(row.id).padEnd(idWidth)}  ${coloured}  ${bar(row)}  ${elapsed.padStart(6)}${detail}`;
  };
  const summary = (): string => {
    const outcomes = rows.map(outcomeOf);
    const count = (name: string) => outcomes.filter((outcome) => outcome === name).length;
    const parts = [`${count('done')}/${rows.length} done`];
    if (count('failed')) parts.push(paint('31', `${count('failed')} failed`));
    if (count('error')) parts.push(paint('31', `${count('error')} could not be watched`));
    return parts.join(', ');
  };
  // Fixed when the table is first drawn: the redraw relies on the same number of lines each time.
  const room = Math.max(1, (out.rows ?? Infinity) - 3);
  const draw = () => {
    const width = Math.max(20, (out.columns ?? 100) - 1);
    let shown: readonly JobRow[] = rows;
    let more = '';
    if (rows.length > room) {
      const running = rows.filter((row) => row.endedAt === undefined);
      shown = [...running, ...rows.filter((row) => row.endedAt !== undefined)].slice(0, room - 1);
      more = `+${rows.length - shown.length} more`;
    }
    const lines = [
      `${'PROVIDER'.padEnd(providerWidth)}  ${'ID'.padEnd(idWidth)}  ${'STATUS'.padEnd(statusWidth)}  ${'PROGRESS'.padEnd(10)}  ${'TIME'.padStart(6)}`,
      ...shown.map(line),
      ...(more ? [more] : []),
      summary(),
    ].map((text) => cut(text, width));
    out.write(ansi.up(drawn) + lines.map((text) => `${ansi.clearLine}${text}\n`).join(''));
    drawn = lines.length;
  };
  out.write(ansi.hideCursor);
  draw();
  return {
    update: draw,
    tick: draw,
    end() {
      draw();
      out.write(ansi.showCursor);
    },
  };
}

/** Ten cells filled up to the status's place among the statuses that are not failures. */
function bar(row: JobRow): string {
  const steps = row.statuses.statuses.filter((status) => !row.statuses.isFailure(status));
  if (row.status !== undefined && row.statuses.isFailure(row.status)) return '✗'.padEnd(10);
  const index = row.status === undefined ? -1 : steps.indexOf(row.status);
  const filled = Math.round((10 * (index + 1)) / steps.length);
  return '█'.repeat(filled) + '░'.repeat(10 - filled);
}

/**
 * How to show the jobs: JSON lines with `--json`; the live table on a
 * terminal that reports its size (one that says 0×0 could not be redrawn
 * in); otherwise `pipe`: JSON lines for watch and generate (scripts read
 * them), log lines for the demo (people read it).
 */
export function chooseRenderer(io: Io, rows: readonly JobRow[], now: () => number, json: boolean, pipe: 'json' | 'log'): Renderer {
  if (json) return jsonLines(io.stdout, now);
  if (io.stdout.isTTY && (io.stdout.rows ?? 0) > 0 && (io.stdout.columns ?? 0) > 0) return liveTable(io.stdout, rows, now, io.env.NO_COLOR === undefined);
  return pipe === 'json' && !io.stdout.isTTY ? jsonLines(io.stdout, now) : logLines(io.stdout, now);
}

export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
}

/** Cuts to `width` visible characters, leaving colour codes whole. */
function cut(text: string, width: number): string {
  let visible = 0;
  let result = '';
  // eslint-disable-next-line no-control-regex
  for (const part of text.split(/(\x1b\[[0-9;?]*[A-Za-z])/)) {
    if (part.startsWith('\x1b[')) {
      result += part;
      continue;
    }
    const room = width - visible;
    if (room <= 0) continue;
    const chars = [...part];
    result += chars.slice(0, room).join('');
    visible += Math.min(room, chars.length);
  }
  return result;
}
