import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// The built packages, loaded by plain Node the way users load them: jest's
// module mapping hides ESM mistakes such as directory imports.
const root = join(__dirname, '..', '..');
const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();

const script = (importLine: string) => `
${importLine}
const transport = testing.scriptedTransport(() => testing.jsonResponse(testing.sunoClip('a', 'complete')));
const client = main.createClient(main.aimlSuno({ apiKey: 'k' }), { transport });
client.watch('a').pipe(main.atLeast(main.sunoStatuses, 'queued')).subscribe((clip) => console.log(clip.status));
`;

describe('the built package', () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'esm', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does)');
  });

  it('loads as ESM under plain node, every entry point', () => {
    const code = script(
      "import * as main from 'clipstream'; import * as testing from 'clipstream/testing'; await import('clipstream/operators'); await import('clipstream/simulator');",
    );
    expect(run(['--input-type=module', '-e', code])).toBe('complete');
  });

  it('loads as CommonJS, every entry point', () => {
    const code = script(
      "const main = require('clipstream'); const testing = require('clipstream/testing'); require('clipstream/operators'); require('clipstream/simulator');",
    );
    expect(run(['-e', code])).toBe('complete');
  });

  it('tells its errors apart with instanceof across the CommonJS and ESM copies, loaded side by side', () => {
    const code = `
      import { createRequire } from 'node:module';
      import * as esm from 'clipstream';
      const cjs = createRequire(import.meta.url)('clipstream');
      const fromCjs = new cjs.HttpError({ request: { method: 'GET', url: 'https://api.example/x', attempt: 2 }, status: 503 });
      const config = new esm.ConfigError('options.retry', 'bad');
      console.log(JSON.stringify([
        esm.HttpError !== cjs.HttpError,
        fromCjs instanceof esm.HttpError, fromCjs instanceof esm.ClipstreamError, fromCjs instanceof Error,
        fromCjs instanceof esm.ConfigError, config instanceof cjs.ConfigError, config instanceof cjs.HttpError,
        new Error('x') instanceof esm.ClipstreamError, { name: 'HttpError' } instanceof esm.HttpError,
        fromCjs.status, fromCjs.attempt,
      ]));`;
    expect(JSON.parse(run(['--input-type=module', '-e', code]))).toEqual([true, true, true, true, false, true, false, false, false, 503, 2]);
  });
});
