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
});
