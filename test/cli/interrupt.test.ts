import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/Output.js';
import { startSimulator } from '../../src/simulator/index.js';

// Ctrl-C in the middle of a watch: in-process, with the signal the binary
// aborts on SIGINT, and a terminal that records what is drawn.
it('on Ctrl-C, stops watching, leaves unfinished jobs shown as running, and exits 130', async () => {
  const sim = await startSimulator();
  sim.addJob('aiml-suno', { id: 'long', timeline: [['queued', 0], ['complete', 600_000]] });
  const controller = new AbortController();
  let screen = '';
  let errors = '';
  const io: Io = {
    stdout: {
      isTTY: true,
      columns: 80,
      rows: 24,
      write: (text) => {
        screen += text;
        if (text.includes('queued')) setTimeout(() => controller.abort(), 50);
      },
    },
    stderr: { isTTY: false, write: (text) => void (errors += text) },
    env: { AIMLAPI_KEY: sim.apiKey, NO_COLOR: '1' },
    readFile: () => '',
  };
  try {
    const code = await main(['watch', 'long', '--provider', 'aiml-suno', '--base-url', sim.url], io, controller.signal);
    expect(code).toBe(130);
    const lastFrame = screen.slice(screen.lastIndexOf('PROVIDER'));
    expect(lastFrame).toMatch(/long\s+queued/);
    expect(lastFrame).toContain('0/1 done');
    expect(errors).toBe('clipstream: interrupted with 1 of 1 jobs still running\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.stats()).toMatchObject({ open: 0, aborted: 1 });
  } finally {
    await sim.close();
  }
});
