import { asyncScheduler } from 'rxjs';
import { aimlSuno, createClient, sunoStatuses } from '../../src/index.js';
import { followJobs, rowsFor } from '../../src/cli/followJobs.js';
import { jsonResponse, scriptedTransport, sunoClip } from '../../src/testing/index.js';
import { testScheduler } from '../support/marbles.js';
import type { JobRow } from '../../src/cli/JobRow.js';
import { jsonLines, liveTable } from '../../src/cli/renderers.js';

const terminal = (columns: number, rows: number) => {
  const writes: string[] = [];
  return { writes, out: { write: (text: string) => void writes.push(text), isTTY: true, columns, rows } };
};
const row = (id: string, status?: string): JobRow => ({
  provider: 'aiml-suno',
  id,
  statuses: sunoStatuses,
  status,
  job: status && { id, status },
  startedAt: 0,
  endedAt: undefined,
  error: undefined,
  retrying: undefined,
});
// The lines a redraw writes, without the cursor movement and line clearing.
const linesOf = (write: string) =>
  write
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\[(\d+F|\?25[lh]|2K)/g, '')
    .split('\n')
    .slice(0, -1);

describe('liveTable', () => {
  it('fits a table taller than the terminal, running jobs first, with the same number of lines each redraw', () => {
    const { writes, out } = terminal(60, 8);
    const rows = Array.from({ length: 10 }, (_, index) => row(`job-${index}`, 'queued'));
    const table = liveTable(out, rows, () => 1500, false);
    rows[0]!.status = 'complete';
    rows[0]!.endedAt = 1000;
    table.update(rows[0]!);
    table.end();
    const draws = writes.filter((write) => write.includes('PROVIDER'));
    expect(draws).toHaveLength(3);
    for (const draw of draws) expect(linesOf(draw)).toHaveLength(7); // header, 4 jobs, "+6 more", summary
    const last = linesOf(draws[2]!);
    expect(last[1]).toMatch(/^aiml-suno\s+job-1\s+queued\s+█████░░░░░\s+1\.5s$/);
    expect(last.slice(5)).toEqual(['+6 more', '1/10 done']);
    // Every redraw after the first moves back over the lines drawn before.
    expect(draws[1]!.startsWith('\x1b[7F')).toBe(true);
    for (const line of last) expect([...line].length).toBeLessThanOrEqual(59);
  });

  it('cuts lines to the terminal width, keeping colour codes whole', () => {
    const { writes, out } = terminal(30, 24);
    liveTable(out, [row('a-very-long-job-identifier-indeed', 'streaming')], () => 0, true).end();
    const lines = linesOf(writes.filter((write) => write.includes('PROVIDER')).at(-1)!);
    // eslint-disable-next-line no-control-regex
    for (const line of lines) expect([...line.replace(/\x1b\[[0-9;]*m/g, '')].length).toBeLessThanOrEqual(29);
  });
});

describe('followJobs', () => {
  it('shows a job being retried in its row ("retrying (503, attempt 2)"), and clears it at the next transition', () => {
    testScheduler().run(({ cold, flush }) => {
      const answers = [jsonResponse({ message: 'down' }, { status: 503 }), jsonResponse({ message: 'down' }, { status: 503 }), jsonResponse(sunoClip('a', 'complete'))];
      const transport = scriptedTransport(() => cold('10ms (r|)', { r: answers.shift()! }));
      const client = createClient(aimlSuno({ apiKey: 'k-123456' }), { transport, retry: { limit: 5, baseDelay: 100, random: () => 0.5 } });
      const rows = rowsFor([{ provider: 'aiml-suno', client, ids: ['a'] }], 0);
      const seen: Array<string | undefined> = [];
      const renderer = { update: (changed: JobRow) => void seen.push(changed.retrying ?? changed.status), tick: () => undefined, end: () => undefined };
      followJobs([{ provider: 'aiml-suno', client, ids: ['a'] }], rows, renderer, { scheduler: asyncScheduler }).subscribe();
      flush();
      expect(seen).toEqual(['retrying (503, attempt 2)', 'retrying (503, attempt 3)', 'complete', 'complete']);
      expect(rows[0]!.retrying).toBeUndefined();
    });
  });

  it('puts the retry after the status in the live table', () => {
    const { writes, out } = terminal(100, 24);
    const retried = { ...row('a', 'queued'), retrying: 'retrying (503, attempt 3)' };
    liveTable(out, [retried], () => 0, false).end();
    expect(linesOf(writes.filter((write) => write.includes('PROVIDER')).at(-1)!)[1]).toMatch(/queued .* retrying \(503, attempt 3\)$/);
  });
});

describe('jsonLines', () => {
  it('writes each status of a row once', () => {
    const { writes, out } = terminal(80, 24);
    const renderer = jsonLines({ ...out, isTTY: false }, () => 42);
    const clip = row('a', 'queued');
    renderer.update(clip);
    renderer.update(clip);
    clip.status = 'complete';
    renderer.update(clip);
    expect(writes.map((line) => JSON.parse(line))).toEqual([
      { provider: 'aiml-suno', id: 'a', status: 'queued', terminal: false, elapsed_ms: 42, job: { id: 'a', status: 'queued' } },
      { provider: 'aiml-suno', id: 'a', status: 'complete', terminal: true, elapsed_ms: 42, job: { id: 'a', status: 'queued' } },
    ]);
  });
});

describe('liveTable at 80 columns', () => {
  it('keeps status, progress and time of UUID-named jobs, with short ids kept apart, and a failed job\'s reason', () => {
    const { writes, out } = terminal(80, 24);
    const ok = row('755f9bbb-d99b-4880-992b-f05244ddba61', 'streaming');
    const failed: JobRow = { ...row('755f9bbc-0000-4880-992b-f05244ddba62', 'error'), endedAt: 2_000, reason: 'Lyrics rejected by moderation' };
    liveTable(out, [ok, failed], () => 65_000, false).end();
    const [header, first, second] = linesOf(writes.filter((write) => write.includes('PROVIDER')).at(-1)!);
    expect(header).toMatch(/^PROVIDER\s+ID\s+STATUS\s+PROGRESS\s+TIME$/);
    expect(first).toMatch(/^aiml-suno {2}755f9bbb… {2}streaming {3}████████░░ {3}1m05s$/);
    expect(second).toMatch(/^aiml-suno {2}755f9bbc… {2}error {7}✗ {13}2\.0s {2}Lyrics rejected by mod/);
    for (const line of [header!, first!, second!]) expect([...line].length).toBeLessThanOrEqual(79);
  });
});
