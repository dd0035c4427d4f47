import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { jsonLinesOf, runCli } from '../support/runCli.js';

// At timeScale 0.1 a step of 3 s takes 300 ms. The first step leaves 2.5 s for the CLI to start:
// it took 0.30-0.38 s here, 0.50-0.67 s with both cores busy.
const suno = [['submitted', 0], ['queued', 25_000], ['streaming', 28_000], ['complete', 31_000]] as const;
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ timeScale: 0.1 });
});
afterAll(() => sim.close());

const aiml = () => ({ AIMLAPI_KEY: sim.apiKey });
const statusesById = (stdout: string) => {
  const byId: Record<string, string[]> = {};
  for (const line of jsonLinesOf(stdout)) (byId[line.id] ??= []).push(line.status);
  return byId;
};

describe('clipstream watch', () => {
  it('AI/ML API Suno on a pipe: one JSON line per transition, exit 0', async () => {
    sim.addJob('aiml-suno', { id: 'clip-a', timeline: suno });
    sim.addJob('aiml-suno', { id: 'clip-b', timeline: suno });
    const { code, stdout, stderr } = await runCli(['watch', 'clip-a', 'clip-b', '--provider', 'aiml-suno', '--base-url', sim.url], aiml());
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(statusesById(stdout)).toEqual({
      'clip-a': ['submitted', 'queued', 'streaming', 'complete'],
      'clip-b': ['submitted', 'queued', 'streaming', 'complete'],
    });
    const last = jsonLinesOf(stdout).at(-1)!;
    expect(last).toMatchObject({ provider: 'aiml-suno', terminal: true, job: { status: 'complete', audio_url: expect.stringMatching(/mp3$/) } });
    expect(last.elapsed_ms).toBeGreaterThan(0);
  });

  it('AI/ML API Luma with a failed generation: exit 1, the failure in the lines', async () => {
    sim.addJob('aiml-luma', { id: 'gen-ok', timeline: [['queued', 0], ['dreaming', 25_000], ['completed', 28_000]] });
    sim.addJob('aiml-luma', { id: 'gen-bad', timeline: [['queued', 0], ['failed', 27_000]] });
    const { code, stdout } = await runCli(['watch', 'gen-ok', 'gen-bad', '--provider', 'aiml-luma', '--base-url', sim.url, '--json'], aiml());
    expect(code).toBe(1);
    expect(statusesById(stdout)).toEqual({ 'gen-ok': ['queued', 'dreaming', 'completed'], 'gen-bad': ['queued', 'failed'] });
    expect(jsonLinesOf(stdout).find((line) => line.status === 'failed')).toMatchObject({ terminal: true, job: { failure_reason: expect.any(String) } });
  });

  it('sunoapi.com with --until and the key from --api-key-file: exit 0 at the target', async () => {
    sim.addJob('sunoapi', { id: 'song-1', timeline: [['submitted', 0], ['streaming', 25_000], ['complete', 600_000]] });
    const keyFile = join(mkdtempSync(join(tmpdir(), 'clipstream-')), 'key');
    writeFileSync(keyFile, `${sim.apiKey}\n`);
    const { code, stdout } = await runCli(['watch', 'song-1', '--provider', 'sunoapi', '--base-url', sim.url, '--until', 'streaming', '--api-key-file', keyFile]);
    expect(code).toBe(0);
    expect(statusesById(stdout)['song-1']!.at(-1)).toBe('streaming');
  });

  it('exit 3 for an unknown id, while the other jobs are still watched to the end', async () => {
    sim.addJob('aiml-suno', { id: 'clip-c', timeline: [['queued', 0], ['complete', 25_000]] });
    const { code, stdout, stderr } = await runCli(['watch', 'clip-c', 'nope', '--provider', 'aiml-suno', '--base-url', sim.url], aiml());
    expect(code).toBe(3);
    expect(statusesById(stdout)['clip-c']).toEqual(['queued', 'complete']);
    expect(stderr).toBe(`clipstream: nope: GET ${sim.url}/v2/generate/audio/suno-ai/clip?clip_id=nope&status=submitted answered HTTP 404: clip not found: nope\n`);
  });

  it('exit 3 for a wrong key, and the key is never printed', async () => {
    const key = 'sk-cli-wrong-2b7e';
    const { code, stdout, stderr } = await runCli(['watch', 'clip-a', '--provider', 'aiml-suno', '--base-url', sim.url], { AIMLAPI_KEY: key });
    expect(code).toBe(3);
    expect(stderr).toContain('answered HTTP 401');
    expect(stdout + stderr).not.toContain(key);
  });

  it.each([
    [['watch', 'clip-a'], '--provider is required'],
    [['watch', 'clip-a', '--provider', 'midjourney'], 'unknown provider "midjourney"'],
    [['watch', '--provider', 'aiml-suno'], 'no job id given'],
    [['watch', 'a b', '--provider', 'aiml-suno'], '<id> 1: "a b" is not a job id: it holds U+0020 at position 2'],
    [['watch', 'clip-a', '--provider', 'aiml-suno', '--until', 'error'], '--until: cannot wait for "error"'],
    [['watch', 'clip-a', '--provider', 'aiml-suno', '--base-url', 'http://example.com'], 'use https'],
    [['watch', 'clip-a', '--provider', 'aiml-suno', '--api-key', 'sk-secret-123'], 'a key on the command line stays in shell history'],
    [['watch', 'clip-a', '--provider', 'aiml-suno', '--colour'], 'unknown option --colour'],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('exit 2 for %j', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args, aiml());
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
    expect(stderr).not.toContain('sk-secret-123');
  });

  it('exit 2 when no key is set', async () => {
    const { code, stderr } = await runCli(['watch', 'song-1', '--provider', 'sunoapi']);
    expect(code).toBe(2);
    expect(stderr).toContain('no API key: set SUNOAPI_KEY or use --api-key-file');
  });
});
