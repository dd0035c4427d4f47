import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, map, toArray } from 'rxjs';
import { aimlSuno, createClient, relay } from '../../src/index.js';
import { startSimulator } from '../../src/simulator/index.js';
import { bin, root, runCli } from '../support/runCli.js';

/** Starts the CLI and resolves with the first match of `pattern` on its stdout. */
function startCli(args: readonly string[], pattern: RegExp, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  const matched = new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = pattern.exec(stdout);
      if (match) resolve(match);
    });
    child.on('close', () => reject(new Error(`exited early: ${stdout}`)));
  });
  const stop = () =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      child.on('close', (code) => resolve({ code, stdout }));
      child.kill('SIGINT');
    });
  return { child, matched, stop };
}

describe('clipstream simulate', () => {
  it('serves the APIs until interrupted, then exits 0', async () => {
    const cli = startCli(['simulate', '--port', '0', '--time-scale', '0.01'], /listening on (http:\/\/127\.0\.0\.1:\d+)/, { SIMULATOR_API_KEY: 'local-key' });
    const url = (await cli.matched)[1]!;
    const created = await fetch(`${url}/v2/generate/audio/suno-ai/clip`, {
      method: 'POST',
      headers: { Authorization: 'Bearer local-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ prompt: 'x' }),
    });
    expect(created.status).toBe(200);
    expect(await (await fetch(`${url}/_simulator/stats`)).json()).toMatchObject({ requests: 1, jobs: 2 });
    const { code, stdout } = await cli.stop();
    expect(code).toBe(0);
    expect(stdout).toContain('clipstream simulator stopped after 1 requests');
    expect(stdout).not.toContain('local-key');
  });
});

describe('clipstream demo', () => {
  it('creates and watches jobs of every provider to the end on its own simulator, exit 0', async () => {
    const { code, stdout, stderr } = await runCli(['demo', '--time-scale', '0.01']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const header = /^clipstream demo: (\d+) jobs at 6 APIs on the simulator at http:\/\/127\.0\.0\.1:\d+/.exec(stdout);
    expect(header).not.toBeNull();
    for (const provider of ['aiml-suno', 'aiml-luma', 'sunoapi', 'aiml-video', 'aiml-audio', 'luma-labs']) expect(stdout).toMatch(new RegExp(`^ +[\\d.]+s  ${provider} +\\S+ +\\w+$`, 'm'));
    const summary = /(\d+) jobs watched in [\d.]+s: (\d+) done, (\d+) failed \(simulated\); \d+ fetch requests \(\d+ for 1 id(, \d+ for \d+ ids)*\)\n/.exec(stdout);
    expect(summary).not.toBeNull();
    expect(summary![1]).toBe(header![1]);
    expect(Number(summary![2]) + Number(summary![3])).toBe(Number(header![1]));
  });

  it('prints its version, and suggests the command meant', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: `clipstream ${version}\n`, stderr: '' });
    expect(await runCli(['-v'])).toEqual({ code: 0, stdout: `clipstream ${version}\n`, stderr: '' });
    expect(await runCli(['wacth'])).toEqual({ code: 2, stdout: '', stderr: 'clipstream: unknown command "wacth"; did you mean "watch"?\nRun "clipstream --help" for the commands.\n' });
    expect((await runCli(['frobnicate'])).stderr).toBe('clipstream: unknown command "frobnicate"\nRun "clipstream --help" for the commands.\n');
  });

  it('ends quietly with exit 0 when the reader of its output goes away (| head -1)', async () => {
    const sim = await startSimulator({ timeScale: 0.01 });
    try {
      sim.addJob('aiml-suno', { id: 'pipe-1', timeline: [['submitted', 0], ['queued', 100_000], ['complete', 200_000]] });
      const child = spawn(process.execPath, [bin, 'watch', 'pipe-1', '--provider', 'aiml-suno', '--base-url', sim.url], {
        env: { PATH: process.env.PATH ?? '', AIMLAPI_KEY: sim.apiKey },
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // Read the first line, then close the pipe, as `head -1` does.
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      child.stdout.destroy();
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    } finally {
      await sim.close();
    }
  });

  it('prints help, and exits 2 without a command', async () => {
    expect(await runCli(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: clipstream <command>') });
    expect(await runCli(['watch', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Exit codes: 0 every job reached the target') });
    expect(await runCli([])).toMatchObject({ code: 2, stderr: expect.stringContaining('Commands:') });
  });

  it('answers --version and a command\'s --help without loading a command, a provider, the simulator or the relay', () => {
    // What the binary loads to answer, read from require.cache after main() resolves.
    const probe = (args: string[]) => {
      const code = `const cli = require(${JSON.stringify(join(root, 'dist', 'cjs', 'cli', 'main.js'))});
        const io = { stdout: { write() {} }, stderr: { write() {} }, env: {}, readFile() { throw new Error(); } };
        cli.main(${JSON.stringify(args)}, io, new AbortController().signal).then((exit) => {
          const loaded = Object.keys(require.cache).map((file) => file.split(require('node:path').sep).join('/').split('dist/cjs/').pop());
          console.log(JSON.stringify({ exit, loaded }));
        });`;
      return JSON.parse(execFileSync(process.execPath, ['-e', code], { encoding: 'utf8' })) as { exit: number; loaded: string[] };
    };
    for (const args of [['--version'], ['watch', '--help'], ['generate', '-h'], ['help', 'relay']]) {
      const { exit, loaded } = probe(args);
      expect({ args, exit, heavy: loaded.filter((file) => /^(simulator|relay|scheduler|exchange|providers\/(?!identities|sunoResultUrls)|client)\/|cli\/\w+Command|node_modules/.test(file)) }).toEqual({ args, exit: 0, heavy: [] });
    }
    // The probe does see a command when one runs.
    expect(probe(['watch', 'x']).loaded).toEqual(expect.arrayContaining(['cli/watchCommand.js', 'client/createClient.js']));
  });
});

describe('clipstream relay', () => {
  it('relays the simulator for browsers: a relay client watches a job it created to the end; Ctrl-C stops it with exit 0', async () => {
    const cli = startCli(['relay', '--simulate', '--port', '0', '--time-scale', '0.02'], /relay on (http:\/\/127\.0\.0\.1:\d+\/api\/clipstream) for (\S+)/);
    const [, baseUrl, apis] = await cli.matched;
    expect(apis!.split(',')[0]).toBe('aiml-suno');
    const client = createClient(relay({ baseUrl: baseUrl!, api: aimlSuno }));
    const statuses = await lastValueFrom(client.generate({ prompt: 'x' }).pipe(map((clip) => clip.status), toArray()));
    expect(statuses.filter((status) => status === 'complete' || status === 'error')).toHaveLength(2);
    const { code, stdout } = await cli.stop();
    expect(code).toBe(0);
    expect(stdout).toContain('clipstream relay stopped');
  });

  it('needs a key or --simulate', async () => {
    const { code, stderr } = await runCli(['relay']);
    expect(code).toBe(2);
    expect(stderr).toContain('no API key set: set AIMLAPI_KEY (aiml-suno, aiml-luma, aiml-video, aiml-audio)');
  });
});
