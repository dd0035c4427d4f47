import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The package as npm would publish it: packed, installed into a project of
// its own, loaded from ESM and CommonJS through every subpath, and
// type-checked by a consumer under node16 and bundler resolution.
const root = join(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const subpaths = ['clipstream', 'clipstream/operators', 'clipstream/testing', 'clipstream/simulator', 'clipstream/relay', 'clipstream/store', 'clipstream/redis'];
let project: string;

const run = (command: string, args: string[], cwd = project) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'clipstream-pack-'));
  run(npm, ['pack', '--silent', '--pack-destination', project], root);
  const tarball = readdirSync(project).find((file) => file.endsWith('.tgz'))!;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  // From npm's cache where it can: the same versions the repository installed.
  run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', `./${tarball}`, 'rxjs@7.8.2', '@types/node@20.19.43']);
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

  it('loads every subpath from ESM', () => {
    const code = `${subpaths.map((path, index) => `import * as m${index} from '${path}';`).join('')} console.log([${subpaths.map((_, index) => `Object.keys(m${index}).length`).join(',')}].join(' '));`;
    const counts = run(process.execPath, ['--input-type=module', '-e', code]).split(' ').map(Number);
    expect(counts).toHaveLength(subpaths.length);
    for (const count of counts) expect(count).toBeGreaterThan(0);
  });

  it('loads every subpath from CommonJS, and the binary runs', () => {
    const code = `console.log([${subpaths.map((path) => `Object.keys(require('${path}')).length`).join(',')}].join(' '));`;
    for (const count of run(process.execPath, ['-e', code]).split(' ').map(Number)) expect(count).toBeGreaterThan(0);
    expect(run(process.execPath, [join(project, 'node_modules', '.bin', 'clipstream'), '--version'])).toMatch(/^clipstream \d+\.\d+\.\d+/);
  });

  it.each([
    ['node16', { module: 'node16', moduleResolution: 'node16' }, 'consumer.mts'],
    ['node16 (CommonJS)', { module: 'node16', moduleResolution: 'node16' }, 'consumer.cts'],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }, 'consumer.ts'],
  ])('type-checks a consumer under %s resolution', (name, options, file) => {
    const consumer = `
      import { createClient, aimlSuno, relay, isClipstreamError, type Client, type JobOf } from 'clipstream';
      import { atLeast } from 'clipstream/operators';
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
