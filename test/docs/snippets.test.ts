// The docs, run as written. `npm run typecheck` compiles every TypeScript
// block of README.md and docs/*.md (scripts/doc-snippets.js); here the tests
// docs/testing.md shows run as tests, and each ```ts runnable block runs
// under tsx with its `// Output:` lines compared to what it printed.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { writeSnippets, outDir } = require('../../scripts/doc-snippets.js') as {
  writeSnippets(): Array<{ file: string; line: number; code: string; runnable: boolean; output: string[] | undefined; name: string }>;
  outDir: string;
};

const snippets = writeSnippets();
const root = join(__dirname, '..', '..');

describe('docs/testing.md, as tests', () => {
  const tests = snippets.filter((snippet) => snippet.file === 'docs/testing.md' && /^it\(/m.test(snippet.code));
  it('has its tests found', () => expect(tests.length).toBeGreaterThanOrEqual(4));
  for (const snippet of tests) {
    describe(`${snippet.file}:${snippet.line}`, () => {
      // The block's own it() calls register here.
      require(join(outDir, snippet.name));
    });
  }
});

describe('runnable blocks print their // Output:', () => {
  const runnable = snippets.filter((snippet) => snippet.runnable);
  it('are found, each with its Output lines', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(1);
    expect(runnable.filter((snippet) => !snippet.output?.length).map((snippet) => `${snippet.file}:${snippet.line}`)).toEqual([]);
  });
  it('are the only blocks that claim an Output: the others cannot be checked', () => {
    expect(snippets.filter((snippet) => !snippet.runnable && snippet.output !== undefined).map((snippet) => `${snippet.file}:${snippet.line}`)).toEqual([]);
  });
  it.each(runnable.map((snippet) => [`${snippet.file}:${snippet.line}`, snippet] as const))('%s', async (_, snippet) => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(outDir, snippet.name)], {
      cwd: root,
      // tsx resolves 'clipstream' to src/ through the snippets' tsconfig paths.
      env: { ...process.env, TSX_TSCONFIG_PATH: join(outDir, 'tsconfig.json') },
      timeout: 20_000,
    });
    expect(stdout.trim().split('\n')).toEqual(snippet.output);
  });
});
