#!/usr/bin/env node
// Extracts every ```ts and ```tsx block of README.md and docs/*.md into
// .tmp/doc-snippets/, one module per block, so `npm run typecheck` compiles
// the docs as written (imports of 'clipstream' resolve to src/ through the
// tsconfig's paths). What a block takes from the reader's app (a `render`,
// an `id`) is declared in an HTML comment right above it, `<!-- prelude ... -->`,
// which a rendered page hides. A block opened with ```ts runnable is also run
// (test/docs/snippets.test.ts) and its `// Output:` lines compared.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, '.tmp', 'doc-snippets');

/** @returns {{ file: string, line: number, lang: string, code: string, prelude: string, runnable: boolean, output: string[] | undefined, name: string }[]} */
function extractSnippets() {
  const docs = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const snippets = [];
  for (const file of docs) {
    const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^```(ts|tsx)(?:\s+(runnable))?\s*$/.exec(lines[i]);
      if (!open) continue;
      const start = i + 1;
      let end = start;
      while (end < lines.length && !lines[end].startsWith('```')) end++;
      const code = lines.slice(start, end);
      // The HTML comment right above the block, if it is a prelude: `<!-- prelude`
      // lines `-->`, or `<!-- prelude continues -->` (the block goes on from the
      // one above it), or both.
      let prelude = [];
      let header = '';
      if (i > 0 && /^<!-- prelude.*-->\s*$/.test(lines[i - 1])) header = lines[i - 1];
      else if (i > 0 && lines[i - 1].trim() === '-->') {
        let top = i - 2;
        while (top >= 0 && !lines[top].startsWith('<!-- prelude')) top--;
        if (top >= 0) [header, prelude] = [lines[top], lines.slice(top + 1, i - 1)];
      }
      const previous = snippets[snippets.length - 1];
      if (/^<!-- prelude continues\b/.test(header)) {
        if (previous?.file !== file) throw new Error(`${file}:${start + 1}: "prelude continues" with no block above it`);
        prelude = [previous.prelude, previous.code, ...prelude];
      }
      const marker = code.findIndex((l) => l.trim() === '// Output:');
      const output = marker < 0 ? undefined : code.slice(marker + 1).filter((l) => l.startsWith('//')).map((l) => l.replace(/^\/\/ ?/, ''));
      // A block that starts `// progress.ts` is that file, for the blocks that import it.
      const base = file.replace(/\.md$/, '').replace(/[/]/g, '-');
      const named = /^\/\/ ([\w-]+)\.tsx?$/.exec(code[0] ?? '');
      // A runnable block is an ES module (top-level await): .mts, since the package is CommonJS.
      const extension = open[2] === 'runnable' && open[1] === 'ts' ? 'mts' : open[1];
      const name = `${base}/${named ? named[1] : `L${start + 1}`}.${extension}`;
      snippets.push({ file, line: start + 1, lang: open[1], code: code.join('\n'), prelude: prelude.join('\n'), runnable: open[2] === 'runnable', output, name });
      i = end;
    }
  }
  return snippets;
}

function writeSnippets() {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const snippets = extractSnippets();
  for (const s of snippets) {
    // `export {}` makes each block a module of its own, as a reader's file would be.
    fs.mkdirSync(path.dirname(path.join(outDir, s.name)), { recursive: true });
    fs.writeFileSync(path.join(outDir, s.name), `${s.prelude}\n// ${s.file}:${s.line}\n${s.code}\nexport {};\n`);
  }
  fs.writeFileSync(
    path.join(outDir, 'tsconfig.json'),
    JSON.stringify(
      {
        extends: '../../tsconfig.json',
        compilerOptions: {
          lib: ['ES2022', 'DOM', 'DOM.Iterable'],
          jsx: 'react-jsx',
          module: 'esnext',
          target: 'ES2022',
          paths: { clipstream: ['../../src/index.ts'], 'clipstream/relay': ['../../src/relayServer/index.ts'], 'clipstream/*': ['../../src/*/index.ts'] },
        },
        include: ['.'],
        exclude: [],
      },
      null,
      2,
    ),
  );
  return snippets;
}

module.exports = { extractSnippets, writeSnippets, outDir };

if (require.main === module) {
  const snippets = writeSnippets();
  console.error(`doc-snippets: ${snippets.length} blocks from README.md and docs/*.md in ${path.relative(root, outDir)}/`);
}
