import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';

// The package as npm would publish it: packed, installed into a project of
// its own, loaded from ESM and CommonJS through every subpath, and
// type-checked by a consumer under node16, bundler and node10 resolution.
const root = join(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
// Each subpath's runtime exports, pinned: a name added or lost is a change of the public API.
const exported: Record<string, string[]> = {
  clipstream: [
    'AbortError', 'AimlAudioGeneration', 'AimlVideoGeneration', 'ClipstreamError', 'ConfigError', 'DecodeError', 'HttpError',
    'JobFailedError', 'LumaGeneration', 'NetworkError', 'SunoApiClip', 'SunoClip', 'TransportError', 'WatchTimeoutError',
    'aimlAudio', 'aimlGenerationStatuses', 'aimlLuma', 'aimlSuno', 'aimlVideo', 'allOf', 'atLeast', 'createClient',
    'defineProvider', 'defineStatusModel', 'distinctTransitions', 'envelope', 'fetchTransport', 'isClipstreamError',
    'lumaLabs', 'lumaStatuses', 'nullable', 'query', 'relay', 'sunoApi', 'sunoStatuses', 'tolerantEnvelope', 'untilTerminal',
  ],
  'clipstream/operators': ['aimlGenerationStatuses', 'atLeast', 'defineStatusModel', 'distinctTransitions', 'lumaStatuses', 'sunoStatuses', 'untilTerminal'],
  'clipstream/testing': ['jsonResponse', 'lumaGeneration', 'scriptedTransport', 'sunoClip', 'textResponse'],
  'clipstream/simulator': ['Simulation', 'faultKinds', 'simulatedApis', 'simulatedTransport', 'startSimulator'],
  'clipstream/relay': ['createRelay', 'dualHandler', 'webhookHandler'],
  'clipstream/store': ['StoreError', 'memoryStore'],
  'clipstream/redis': ['redisStore'],
  'clipstream/react': ['useJob', 'useJobs'],
};
const subpaths = Object.keys(exported);
let project: string;

const run = (command: string, args: string[], cwd = project) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'clipstream-pack-'));
  run(npm, ['pack', '--silent', '--pack-destination', project], root);
  const tarball = readdirSync(project).find((file) => file.endsWith('.tgz'))!;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  // From npm's cache where it can: the same versions the repository installed.
  run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', `./${tarball}`, 'rxjs@7.8.2', '@types/node@20.19.43', 'react@19.3.1', '@types/react@19.3.0']);
}, 180_000);
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('the packed package', () => {
  it('maps every subpath for node10 resolution (typesVersions) to a declaration the tarball holds, and builds before packing', () => {
    const manifest = JSON.parse(run(npm, ['pkg', 'get', 'typesVersions', 'exports', 'scripts'], root)) as {
      typesVersions: { '*': Record<string, string[]> };
      exports: Record<string, unknown>;
      scripts: Record<string, string>;
    };
    const files = run(npm, ['pack', '--dry-run', '--json'], root);
    const listed = new Set((JSON.parse(files) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path));
    const subpathsOfExports = Object.keys(manifest.exports).filter((key) => key !== '.' && key !== './package.json').map((key) => key.slice(2));
    expect(Object.keys(manifest.typesVersions['*']).sort()).toEqual(subpathsOfExports.sort());
    for (const targets of Object.values(manifest.typesVersions['*'])) for (const target of targets) expect(listed.has(target.replace(/^\.\//, ''))).toBe(true);
    expect(manifest.scripts.prepack).toBe('node scripts/build-if-stale.js');
  });

  it('holds what it needs and nothing it should not: no source maps, no tests, a changelog and a licence', () => {
    const files = run(npm, ['pack', '--dry-run', '--json'], root);
    const listed = (JSON.parse(files) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path);
    expect(listed.filter((file) => file.endsWith('.map') || file.startsWith('src/') || file.startsWith('test/') || file.startsWith('docs/api/'))).toEqual([]);
    expect(listed).toEqual(expect.arrayContaining(['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'bin/clipstream.js', 'dist/esm/index.js', 'dist/cjs/index.js', 'dist/esm/index.d.ts']));
  });

  it('ships every file its Markdown links to', () => {
    const files = run(npm, ['pack', '--dry-run', '--json'], root);
    const listed = new Set((JSON.parse(files) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path));
    const broken: string[] = [];
    for (const file of [...listed].filter((path) => path.endsWith('.md'))) {
      for (const [, target] of readFileSync(join(root, file), 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        const path = posix.normalize(posix.join(posix.dirname(file), target!)).replace(/\/$/, '');
        if (!listed.has(path) && ![...listed].some((packed) => packed.startsWith(`${path}/`))) broken.push(`${file} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('loads every subpath from ESM, each with exactly its pinned exports', () => {
    const code = `${subpaths.map((path, index) => `import * as m${index} from '${path}';`).join('')} console.log(JSON.stringify([${subpaths.map((_, index) => `Object.keys(m${index}).sort()`).join(',')}]));`;
    const lists = JSON.parse(run(process.execPath, ['--input-type=module', '-e', code])) as string[][];
    expect(Object.fromEntries(subpaths.map((path, index) => [path, lists[index]]))).toEqual(exported);
  });

  it('loads every subpath from CommonJS, with the same exports, and the binary runs', () => {
    const code = `console.log(JSON.stringify([${subpaths.map((path) => `Object.keys(require('${path}')).filter((key) => key !== '__esModule').sort()`).join(',')}]));`;
    const lists = JSON.parse(run(process.execPath, ['-e', code])) as string[][];
    expect(Object.fromEntries(subpaths.map((path, index) => [path, lists[index]]))).toEqual(exported);
    expect(run(process.execPath, [join(project, 'node_modules', '.bin', 'clipstream'), '--version'])).toMatch(/^clipstream \d+\.\d+\.\d+/);
  });

  it.each([
    ['node16', { module: 'node16', moduleResolution: 'node16' }, 'consumer.mts'],
    ['node16 (CommonJS)', { module: 'node16', moduleResolution: 'node16' }, 'consumer.cts'],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, 'consumer.ts'],
    // TypeScript 6 deprecates node10 (an error unless ignoreDeprecations); many projects still use it.
    ['node10', { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' }, 'consumer.ts'],
  ])('type-checks a consumer under %s resolution', (name, options, file) => {
    const consumer = `
      import { createClient, aimlSuno, relay, isClipstreamError, type Client, type JobOf } from 'clipstream';
      import { atLeast, sunoStatuses } from 'clipstream/operators';
      import { useJob, useJobs, type JobState } from 'clipstream/react';
      import { memoryStore } from 'clipstream/store';
      import { scriptedTransport, jsonResponse, sunoClip } from 'clipstream/testing';
      import { startSimulator } from 'clipstream/simulator';
      import { createRelay } from 'clipstream/relay';
      const client: Client<ReturnType<typeof aimlSuno>> = createClient(aimlSuno({ apiKey: 'k' }), { transport: scriptedTransport(() => jsonResponse(sunoClip('a', 'complete'))) });
      client.watch('a').pipe(atLeast(client.statuses, 'streaming')).subscribe((clip: JobOf<typeof client.provider>) => clip.audio_url);
      // @ts-expect-error: not a status of Suno
      client.watch('a', { until: 'dreaming' });
      const browser = createClient(relay({ baseUrl: '/api/clipstream', api: aimlSuno }));
      browser.watch('a').subscribe((clip) => clip.status.toUpperCase());
      const byName = createClient(relay({ baseUrl: '/api/clipstream', api: 'luma-labs' }));
      byName.watch('g').subscribe((generation) => generation.assets?.video);
      // @ts-expect-error: not an API the relay can name
      relay({ baseUrl: '/api/clipstream', api: 'midjourney' });
      void startSimulator;
      void createRelay({ clients: { 'aiml-suno': client } });
      void isClipstreamError;
      void sunoStatuses.statusOf;
      void memoryStore;
      const hook: (c: typeof client, id: string) => JobState<JobOf<typeof client.provider>> = useJob;
      void hook;
      void useJobs;
    `;
    const dir = join(project, name.replace(/\W+/g, '-'));
    rmSync(dir, { recursive: true, force: true });
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, file), consumer);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...options, target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'], typeRoots: [join(project, 'node_modules', '@types')] }, files: [file] }),
    );
    expect(() => run(process.execPath, [tsc, '-p', dir])).not.toThrow();
  });
});
