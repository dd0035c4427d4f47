import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** What a browser app bundles, by what it imports from the built package (dist/esm). */
export const browserBundles = {
  /** Everything the root entry exports: the worst case. */
  'clipstream (everything)': `export * from 'clipstream'`,
  /** A frontend app: a client through the relay (`api: 'aiml-suno'`), an operator, the error guard. */
  'clipstream: createClient, relay, atLeast, isClipstreamError': `export { createClient, relay, atLeast, isClipstreamError } from 'clipstream'`,
  /** A Node or edge app that talks to one API itself. */
  'clipstream: createClient, aimlSuno': `export { createClient, aimlSuno } from 'clipstream'`,
  /** A page that names the relayed API by its factory (`api: aimlSuno`), so the page checks each job with its codec again. */
  'clipstream: createClient, relay, aimlSuno (a page with the codec)': `export { createClient, relay, aimlSuno } from 'clipstream'`,
  /** The React hooks, React external as rxjs is. */
  'clipstream/react': `export * from 'clipstream/react'`,
  'clipstream/operators': `export * from 'clipstream/operators'`,
} as const;

export interface BundleSize {
  readonly name: string;
  readonly minified: number;
  readonly gzipped: number;
  /** Files of the bundle, largest first, in bytes of output. */
  readonly inputs: ReadonlyArray<readonly [string, number]>;
  readonly text: string;
}

/** Bundles `entry` for browsers with esbuild (minified, rxjs external), as a bundler would from the published package. */
export async function bundleSize(name: string, entry: string): Promise<BundleSize> {
  const root = join(__dirname, '..');
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    external: ['rxjs', 'react'],
    // The package by name, as its exports map it: `clipstream/x` is dist/esm/x/index.js.
    plugins: [
      {
        name: 'clipstream-exports',
        setup(on) {
          on.onResolve({ filter: /^clipstream(\/.*)?$/ }, (args) => ({ path: join(root, 'dist', 'esm', args.path.slice('clipstream'.length), 'index.js') }));
        },
      },
    ],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]!.text;
  const inputs = Object.entries(Object.values(result.metafile.outputs)[0]!.inputs)
    .map(([file, info]) => [file, info.bytesInOutput] as const)
    .sort((a, b) => b[1] - a[1]);
  return { name, minified: Buffer.byteLength(text), gzipped: gzipSync(text, { level: 9 }).length, inputs, text };
}
