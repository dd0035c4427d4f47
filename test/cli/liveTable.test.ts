import { execFileSync } from 'node:child_process';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { bin, root } from '../support/runCli.js';
import { describeWith } from '../support/systemProgram.js';

// The live table drawn in a real pseudo-terminal: tmux runs the CLI in a
// 100x20 pane, and the pane's text is read back while the jobs progress.
const socket = `clipstream-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWith('tmux', 'tmux', ['tmux', '-V'])('the live table in a pseudo-terminal', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 0.1 });
  });
  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {
      /* already gone */
    }
    await sim.close();
  });

  it('draws a row per job and updates it in place until every job is done', async () => {
    // Each status lasts a second or more at timeScale 0.1, so 100 ms captures see every one.
    const life = [['submitted', 0], ['queued', 25_000], ['streaming', 35_000], ['complete', 45_000]] as const;
    sim.addJob('aiml-suno', { id: 'tty-clip-1', timeline: life });
    sim.addJob('aiml-suno', { id: 'tty-clip-2', timeline: [['submitted', 0], ['queued', 25_000], ['error', 30_000]] });
    const command = `${process.execPath} ${bin} watch tty-clip-1 tty-clip-2 --provider aiml-suno --base-url ${sim.url}; echo EXIT=$?; sleep 60`;
    tmux('new-session', '-d', '-s', 'cli', '-x', '100', '-y', '20', '-c', root, '-e', `AIMLAPI_KEY=${sim.apiKey}`, '-e', 'NO_COLOR=1', command);

    const captured: string[] = [];
    for (let waited = 0; waited < 20_000 && !captured.at(-1)?.includes('EXIT='); waited += 100) {
      await sleep(100);
      captured.push(tmux('capture-pane', '-p', '-t', 'cli'));
    }
    // Frames from the first drawing of the table on (before it, Node is starting).
    const frames = captured.slice(captured.findIndex((frame) => frame.includes('PROVIDER')));
    expect(frames.length).toBeGreaterThan(5);
    const last = frames.at(-1)!;
    expect(last).toContain('EXIT=1');
    // Redrawn in place: every frame has each job on exactly one line, and the header once.
    for (const frame of frames) {
      expect(frame.split('\n').filter((line) => line.includes('tty-clip-1'))).toHaveLength(1);
      expect(frame.split('\n').filter((line) => line.includes('tty-clip-2'))).toHaveLength(1);
      expect(frame.split('\n').filter((line) => line.startsWith('PROVIDER'))).toHaveLength(1);
    }
    const row = (frame: string, id: string) => frame.split('\n').find((line) => line.includes(id))!;
    // The row went through the statuses it was shown in, with its progress bar filling.
    const shown = [...new Set(frames.map((frame) => row(frame, 'tty-clip-1').split(/\s+/)[2]))];
    expect(shown).toEqual(expect.arrayContaining(['queued', 'streaming', 'complete']));
    expect(row(last, 'tty-clip-1')).toMatch(/^aiml-suno\s+tty-clip-1\s+complete\s+██████████\s+\d+\.\ds$/);
    // A failed job's row ends with its reason.
    expect(row(last, 'tty-clip-2')).toMatch(/^aiml-suno\s+tty-clip-2\s+error\s+✗\s+\d+\.\ds {2}\S.*$/);
    expect(last).toContain('1/2 done, 1 failed');
    // Elapsed time moved between frames while a job was running.
    const times = new Set(frames.map((frame) => /(\d+\.\d)s\s*$/.exec(row(frame, 'tty-clip-1'))?.[1]));
    expect(times.size).toBeGreaterThan(3);
    expect(last).not.toContain(sim.apiKey);
  }, 30_000);
});
