// A fourth, user-defined API (the Kling example of docs/providers.md) used
// as a built-in one is: simulated (startSimulator({ apis })), relayed by name
// to a client that bundles no codec (relay({ api: klingIdentity })), and
// watched from the CLI (--provider-module). Real sockets on 127.0.0.1.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { firstValueFrom, toArray } from 'rxjs';
import { createClient, relay } from '../../src/index.js';
import { createRelay } from '../../src/relayServer/index.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { startRelayServer, type RelayServer } from '../support/relayServer.js';
import { bin, root } from '../support/runCli.js';
import { kling } from './klingProvider.js';
import { klingIdentity, klingSimulation } from './klingSimulation.js';

// At timeScale 0.05: submitted for 200 ms, processing for 300 ms. Each test adds its job when it starts.
const life: Array<[string, number]> = [['submitted', 0], ['processing', 4_000], ['succeed', 10_000]];

describe('a provider of your own, as a built-in one', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ timeScale: 0.05, apis: [klingSimulation] });
  });
  afterAll(() => sim.close());

  it('is simulated: its routes, its envelope, creates and fetches, every status', async () => {
    const client = createClient(kling(sim.configFor('kling')), { polling: { interval: 50, backoff: 1 } });
    sim.addJob('kling', { id: 'k-sim', timeline: life });
    const statuses = (await firstValueFrom(client.watch('k-sim').pipe(toArray()))).map((task) => task.task_status);
    expect(statuses).toEqual(['submitted', 'processing', 'succeed']);
    const [created] = await client.create({ prompt: 'a dragon over mountains' });
    expect(sim.job(created!)).toMatchObject({ api: 'kling', status: 'submitted' });
    expect(sim.stats().byStatus).toEqual(expect.objectContaining({ 200: expect.any(Number) }));
  });

  it('refuses an API named twice, and one that is not a spec', async () => {
    await expect(startSimulator({ apis: [{ ...klingSimulation, name: 'aiml-suno' }] })).rejects.toThrow(expect.objectContaining({ name: 'ConfigError', field: 'apis[0].name' }));
    await expect(startSimulator({ apis: [{ ...klingSimulation, render: undefined } as never] })).rejects.toThrow(expect.objectContaining({ field: 'apis[0].render' }));
  });

  describe('relayed by name', () => {
    let server: RelayServer;
    let handler: ReturnType<typeof createRelay>;
    beforeAll(async () => {
      handler = createRelay({ clients: { kling: createClient(kling(sim.configFor('kling')), { polling: { interval: 50, backoff: 1 } }) } });
      server = await startRelayServer(handler);
    });
    afterAll(async () => {
      await handler.close();
      await server.close();
    });

    it('reaches a page client that names it by its identity (no codec), every status, the result URL', async () => {
      const page = createClient(relay({ baseUrl: server.baseUrl, api: klingIdentity }));
      expect(page.provider.title).toBe('Kling through the relay');
      sim.addJob('kling', { id: 'k-relay', timeline: life });
      const tasks = await firstValueFrom(page.watch('k-relay').pipe(toArray()));
      // The relay's first look may come after a short first status on a loaded machine: a rising run to the end.
      const statuses = tasks.map((task) => page.statusOf(task));
      expect(statuses).toEqual(['submitted', 'processing', 'succeed'].slice(['submitted', 'processing'].includes(statuses[0]!) ? ['submitted', 'processing'].indexOf(statuses[0]!) : 0));
      expect(page.provider.resultUrls(tasks.at(-1)!).video).toMatch(/\/_simulator\/media\/k-relay\.mp4$/);
    });

    it('refuses an identity that is not one, naming what is wrong', () => {
      expect(() => relay({ baseUrl: server.baseUrl, api: { ...klingIdentity, name: 'Kling!' } })).toThrow(expect.objectContaining({ name: 'ConfigError', field: 'relay.api.name' }));
      expect(() => relay({ baseUrl: server.baseUrl, api: { name: 'kling' } as never })).toThrow(expect.objectContaining({ field: 'relay.api' }));
    });
  });

  it('is watched from the CLI with --provider-module, as JSON lines to the end', async () => {
    // The provider as a user ships it: a CommonJS module that requires 'clipstream' (here the built package, by its own name).
    const module = join(root, '.tmp', 'kling-provider.cjs');
    mkdirSync(join(root, '.tmp'), { recursive: true });
    await build({
      entryPoints: [join(__dirname, 'klingProvider.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: module,
      logLevel: 'silent',
      plugins: [{ name: 'clipstream-by-name', setup: (on) => on.onResolve({ filter: /src\/index\.js$/ }, () => ({ path: 'clipstream', external: true })) }],
      external: ['io-ts'],
    });
    sim.addJob('kling', { id: 'k-cli', timeline: [['submitted', 0], ['processing', 20_000], ['succeed', 40_000]] });
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [bin, 'watch', 'k-cli', '--provider', 'kling', '--provider-module', module, '--base-url', sim.configFor('kling').baseUrl, '--interval', '50'],
      { env: { PATH: process.env.PATH ?? '', KLING_API_KEY: sim.apiKey }, cwd: root },
    );
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { provider: string; id: string; status: string; terminal: boolean });
    expect(lines.map(({ provider, id, status, terminal }) => [provider, id, status, terminal])).toEqual([
      ['kling', 'k-cli', 'submitted', false],
      ['kling', 'k-cli', 'processing', false],
      ['kling', 'k-cli', 'succeed', true],
    ]);
    expect(stderr).toBe('');
  }, 30_000);

  it('names the key variable and the module in the CLI\'s errors', async () => {
    const run = (args: string[], env: Record<string, string> = {}) =>
      promisify(execFile)(process.execPath, [bin, 'watch', 'x', '--provider', 'kling', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: root }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
    expect(await run(['--provider-module', join(root, '.tmp', 'kling-provider.cjs')])).toEqual({ code: 2, stderr: expect.stringContaining('no API key: set KLING_API_KEY') });
    expect(await run([])).toEqual({ code: 2, stderr: expect.stringContaining('unknown provider "kling" for --provider: use aiml-suno') });
    writeFileSync(join(root, '.tmp', 'no-provider.cjs'), 'module.exports = { answer: 42 };\n');
    expect(await run(['--provider-module', join(root, '.tmp', 'no-provider.cjs')])).toEqual({ code: 2, stderr: expect.stringContaining('exports no provider factory') });
    expect(await run(['--provider-module', join(root, '.tmp', 'missing.cjs')])).toEqual({ code: 2, stderr: expect.stringContaining('cannot load --provider-module') });
  });
});
