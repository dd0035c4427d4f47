import { registeredProviders } from '../../src/providers/registry.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { jsonLinesOf, runCli } from '../support/runCli.js';

// The simulator with fixed lives: each step 1.5 s of the simulated world, 150 ms here.
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    timeScale: 0.1,
    timelines: {
      'aiml-suno': [['submitted', 0], ['queued', 1_500], ['streaming', 3_000], ['complete', 4_500]],
      'luma-labs': [['queued', 0], ['dreaming', 1_500], ['completed', 3_000]],
    },
  });
});
afterAll(() => sim.close());

describe('clipstream generate', () => {
  it('creates two Suno clips from a prompt and follows both to the end: ids first, then a line per transition', async () => {
    const { code, stdout, stderr } = await runCli(['generate', '--provider', 'aiml-suno', '--prompt', 'sea shanty', '--json', '--base-url', sim.url], { AIMLAPI_KEY: sim.apiKey });
    expect(code).toBe(0);
    const ids = /^created 2 jobs at AI\/ML API Suno: (\S+) (\S+)\n$/.exec(stderr);
    expect(ids).not.toBeNull();
    const lines = jsonLinesOf(stdout);
    for (const id of [ids![1]!, ids![2]!]) expect(lines.filter((line) => line.id === id).map((line) => line.status)).toEqual(['queued', 'streaming', 'complete']);
  });

  it('on a pipe without --json, stdout carries JSON lines only (generate … | jq): the human line is on stderr', async () => {
    const { code, stdout, stderr } = await runCli(['generate', '--provider', 'aiml-suno', '--prompt', 'piped', '--base-url', sim.url], { AIMLAPI_KEY: sim.apiKey });
    expect(code).toBe(0);
    expect(stderr).toMatch(/^created 2 jobs at AI\/ML API Suno: \S+ \S+\n/);
    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("reaches Luma's own API under its base path, with the key from LUMA_API_KEY", async () => {
    const { code, stdout } = await runCli(['generate', '--provider', 'luma-labs', '--prompt', 'a cat at a piano', '--json', '--interval', '50', '--base-url', `${sim.url}/dream-machine/v1`], {
      LUMA_API_KEY: sim.apiKey,
    });
    expect(code).toBe(0);
    expect(jsonLinesOf(stdout).map((line) => line.status)).toEqual(['dreaming', 'completed']);
  });

  it.each(registeredProviders.map((entry) => [entry.factory.spec.name, entry.keyEnv] as const))('works for %s: every job created is followed to a last status', async (name, keyEnv) => {
    const quick = await startSimulator({ timeScale: 0.005, failureRate: 0, seed: 11 });
    try {
      const { code, stdout, stderr } = await runCli(
        ['generate', '--provider', name, '--prompt', 'every provider', '--json', '--interval', '20', '--base-url', quick.configFor(name).baseUrl],
        { [keyEnv]: quick.apiKey },
      );
      expect(code).toBe(0);
      const created = /^created \d+ jobs? at [^:]+: (.+)\n$/.exec(stderr);
      expect(created).not.toBeNull();
      const ids = created![1]!.split(' ');
      const lines = jsonLinesOf(stdout);
      for (const id of ids) expect(lines.filter((line) => line.id === id).at(-1)).toMatchObject({ terminal: true });
    } finally {
      await quick.close();
    }
  });

  it.each([
    [['generate', '--provider', 'aiml-suno'], '--prompt is required'],
    [['generate', '--provider', 'aiml-suno', 'a', 'song'], 'give the prompt as --prompt "a song"'],
    [['generate', '--provider', 'aiml-suno', '--prompt', 'x', '--count', '0'], '--count expects a number of at least 1, got 0'],
    [['generate', '--provider', 'aiml-suno', '--prompt', 'x', '--interval', '5'], '--interval expects a number of at least 10, got 5'],
    [['generate', '--provider', 'aiml-video', '--prompt', 'x', '--base-url', 'http://example.com'], '--base-url: "http://example.com/" is plain http'],
  ])('exits 2 for %j, saying what is wrong in flags', async (args, message) => {
    const { code, stderr } = await runCli(args, { AIMLAPI_KEY: sim.apiKey });
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
