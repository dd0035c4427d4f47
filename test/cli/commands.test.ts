import { spawn } from 'node:child_process';
import { bin, runCli } from '../support/runCli.js';

describe('clipstream simulate', () => {
  it('serves the APIs until interrupted, then exits 0', async () => {
    const child = spawn(process.execPath, [bin, 'simulate', '--port', '0', '--time-scale', '0.01'], {
      env: { PATH: process.env.PATH ?? '', SIMULATOR_API_KEY: 'local-key' },
    });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.on('close', () => reject(new Error(`exited early: ${stdout}`)));
    });
    const created = await fetch(`${url}/v2/generate/audio/suno-ai/clip`, {
      method: 'POST',
      headers: { Authorization: 'Bearer local-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ prompt: 'x' }),
    });
    expect(created.status).toBe(200);
    expect(await (await fetch(`${url}/_simulator/stats`)).json()).toMatchObject({ requests: 1, jobs: 2 });
    const code = await new Promise<number | null>((resolve) => {
      child.on('close', resolve);
      child.kill('SIGINT');
    });
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
    const summary = /(\d+) jobs watched in [\d.]+s: (\d+) done, (\d+) failed \(simulated\); \d+ fetch requests/.exec(stdout);
    expect(summary).not.toBeNull();
    expect(summary![1]).toBe(header![1]);
    expect(Number(summary![2]) + Number(summary![3])).toBe(Number(header![1]));
  });

  it('prints help, and exits 2 without a command', async () => {
    expect(await runCli(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Usage: clipstream <command>') });
    expect(await runCli(['watch', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('Exit codes: 0 every job reached the target') });
    expect(await runCli([])).toMatchObject({ code: 2, stderr: expect.stringContaining('Commands:') });
  });
});
